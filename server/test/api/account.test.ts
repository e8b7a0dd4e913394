import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetCachedTokens } from '../../src/auth/auth.service.ts';
import { factories } from '../factories.ts';
import { buildCtx } from '../../src/app.ts';
import { purgeExpiredSessions } from '../../src/auth/session.service.ts';
import { ADMIN, client, DIALECTS, startTestApp, testClock, type TestApp } from '../test-app.ts';

const PASSWORD = 'correct-horse-battery';
const NEW_PASSWORD = 'new-horse-battery-456';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** Each user's own sessions, password and API tokens (issue 7: sessions and audit, point 4). */
describe.each(DIALECTS)('account security on %s', (dialect) => {
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  const clock = testClock();
  let ipSeq = 0;
  /** A fresh address per sign-in, so that per-address limits never leak between tests. */
  const nextIp = () => `203.0.113.${++ipSeq}`;

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
  });
  afterAll(() => t?.close());

  async function signIn(email: string, password = PASSWORD, userAgent = FIREFOX, ip = nextIp()) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip, headers: { 'user-agent': userAgent } });
    expect(res.statusCode, res.body).toBe(200);
    return res.cookies.find((c) => c.name === 'vigie_session')!.value;
  }
  const as = (session: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, ip?: string) =>
    t.app.inject({ method, url, cookies: { vigie_session: session }, ...(payload && { payload }), ...(ip && { remoteAddress: ip }) });
  const isSignedIn = async (session: string) => {
    const res = await as(session, 'GET', '/api/v1/me');
    if (res.statusCode === 401) expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    return res.statusCode === 200;
  };
  const sessionsOf = async (session: string) => (await as(session, 'GET', '/api/v1/me/sessions')).json().items as { id: string; current: boolean; lastSeenAt: string; ip: string | null; userAgent: string | null; method: string; createdAt: string }[];

  async function userWithPassword(role: 'agent' | 'requester' = 'agent') {
    const org = role === 'requester' ? await f.organization() : null;
    const u = await f.user(role, { password: PASSWORD, ...(org && { orgId: org.id }) });
    return { ...u, email: (u as unknown as { email: string }).email };
  }
  const eventsOf = (userId: number) =>
    t.database.db.selectFrom('events').select(['type', 'actor_id', 'org_id', 'payload']).where('aggregate_type', '=', 'user').where('aggregate_id', '=', userId).orderBy('id').execute();

  describe('sessions', () => {
    it('forgets expired sessions in the background job, and only those', async () => {
      const u = await userWithPassword();
      const old = await signIn(u.email);
      clock.advance(10 * 86_400_000);
      const recent = await signIn(u.email);
      clock.advance(5 * 86_400_000); // the first is 15 days old: past the 14-day lifetime
      const rowsOf = () => t.database.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute();
      expect(await rowsOf()).toHaveLength(2);
      expect(await purgeExpiredSessions(buildCtx({ database: t.database, clock }))).toBeGreaterThanOrEqual(1);
      expect(await rowsOf()).toHaveLength(1);
      expect(await isSignedIn(old)).toBe(false);
      expect(await isSignedIn(recent)).toBe(true);
    });

    it('lists the sessions with where and how they were opened, the current one flagged, never a secret', async () => {
      const u = await userWithPassword();
      const longAgent = `${SAFARI} ${'x'.repeat(1000)}`;
      const laptop = await signIn(u.email, PASSWORD, FIREFOX, '203.0.113.200');
      const phone = await signIn(u.email, PASSWORD, longAgent, '203.0.113.201');
      const items = await sessionsOf(laptop);
      expect(items).toHaveLength(2);
      const current = items.find((s) => s.current)!;
      const other = items.find((s) => !s.current)!;
      expect(current).toMatchObject({ method: 'password', ip: '203.0.113.200', userAgent: FIREFOX, createdAt: clock.now().toISOString(), lastSeenAt: clock.now().toISOString() });
      expect(other).toMatchObject({ method: 'password', ip: '203.0.113.201' });
      expect(other.userAgent!.length).toBe(300);
      expect(longAgent.startsWith(other.userAgent!)).toBe(true);
      expect(Object.keys(current).sort()).toEqual(['createdAt', 'current', 'id', 'ip', 'lastSeenAt', 'method', 'userAgent']);
      // The public id is neither the cookie's secret nor the stored hash.
      const rows = await t.database.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute();
      for (const s of items) {
        expect(rows.map((r) => r.id)).not.toContain(s.id);
        expect(laptop).not.toContain(s.id);
        expect(phone).not.toContain(s.id);
      }
      // Seen from the other device, the flag moves.
      expect((await sessionsOf(phone)).find((s) => s.current)!.id).toBe(other.id);
      // Through an API token no session is the current one.
      expect((await u.as.get('/api/v1/me/sessions')).body.items.map((s: { current: boolean }) => s.current)).toEqual([false, false]);
    });

    it('records the last use at most once a minute per session, with its address', async () => {
      const u = await userWithPassword();
      const opened = clock.now().toISOString();
      const session = await signIn(u.email, PASSWORD, FIREFOX, '203.0.113.210');
      const lastSeen = async () => (await t.database.db.selectFrom('sessions').select(['last_seen_at', 'ip']).where('user_id', '=', u.id).executeTakeFirstOrThrow());

      clock.advance(30_000);
      await as(session, 'GET', '/api/v1/me', undefined, '203.0.113.211');
      expect(await lastSeen()).toEqual({ last_seen_at: opened, ip: '203.0.113.210' });

      clock.advance(31_000);
      const seen = clock.now().toISOString();
      await as(session, 'GET', '/api/v1/me', undefined, '203.0.113.212');
      expect(await lastSeen()).toEqual({ last_seen_at: seen, ip: '203.0.113.212' });

      for (let i = 0; i < 5; i++) {
        clock.advance(10_000);
        await as(session, 'GET', '/api/v1/me', undefined, '203.0.113.213');
      }
      expect(await lastSeen()).toEqual({ last_seen_at: seen, ip: '203.0.113.212' });
      expect((await sessionsOf(session))[0]!.lastSeenAt).toBe(seen);
      clock.advance(11_000);
      expect((await sessionsOf(session))[0]!.lastSeenAt).toBe(clock.now().toISOString());
    });

    it('ends one session by its id; then that cookie answers 401 and the id is unknown', async () => {
      const u = await userWithPassword();
      const a = await signIn(u.email);
      const b = await signIn(u.email, PASSWORD, SAFARI);
      const other = (await sessionsOf(a)).find((s) => !s.current)!;
      expect((await as(a, 'DELETE', `/api/v1/me/sessions/${other.id}`)).statusCode).toBe(204);
      expect(await isSignedIn(b)).toBe(false);
      expect(await isSignedIn(a)).toBe(true);
      expect((await sessionsOf(a)).map((s) => s.current)).toEqual([true]);
      const again = await as(a, 'DELETE', `/api/v1/me/sessions/${other.id}`);
      expect(again.statusCode).toBe(404);
      expect(String(again.headers['content-type'])).toMatch(/^application\/problem\+json/);
      expect((await eventsOf(u.id)).filter((e) => e.type === 'user.sessions_revoked').map((e) => JSON.parse(e.payload))).toEqual([{ reason: 'revoked', sessionsEnded: 1 }]);
    });

    it('"sign out everywhere else" keeps this session and the API tokens', async () => {
      const u = await userWithPassword();
      const [a, b, c] = [await signIn(u.email), await signIn(u.email, PASSWORD, SAFARI), await signIn(u.email)];
      const res = await as(a, 'POST', '/api/v1/me/sessions/revoke-others');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ sessionsEnded: 2 });
      expect([await isSignedIn(a), await isSignedIn(b), await isSignedIn(c)]).toEqual([true, false, false]);
      expect((await u.as.get('/api/v1/me')).status).toBe(200);
      const [event] = (await eventsOf(u.id)).filter((e) => e.type === 'user.sessions_revoked');
      expect(event).toMatchObject({ actor_id: u.id, org_id: null });
      expect(JSON.parse(event!.payload)).toEqual({ reason: 'others_revoked', sessionsEnded: 2 });
    });

    it('an admin signs a user out of every session; others may not', async () => {
      const u = await userWithPassword();
      const [a, b] = [await signIn(u.email), await signIn(u.email, PASSWORD, SAFARI)];
      const agent = await f.user('agent');
      const manager = await f.user('manager');
      for (const who of [agent, manager, u]) expect((await who.as.delete(`/api/v1/users/${u.id}/sessions`)).status).toBe(403);
      expect((await f.admin.delete('/api/v1/users/987654/sessions')).status).toBe(404);
      expect([await isSignedIn(a), await isSignedIn(b)]).toEqual([true, true]);

      const res = await f.admin.delete(`/api/v1/users/${u.id}/sessions`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ sessionsEnded: 2 });
      expect([await isSignedIn(a), await isSignedIn(b)]).toEqual([false, false]);
      // API tokens are not sessions: they stay.
      expect((await u.as.get('/api/v1/me')).status).toBe(200);
      const adminId = (await f.admin.get('/api/v1/me')).body.id;
      const event = (await eventsOf(u.id)).find((e) => e.type === 'user.sessions_revoked')!;
      expect(event.actor_id).toBe(adminId);
      expect(JSON.parse(event.payload)).toEqual({ reason: 'admin', sessionsEnded: 2 });
    });

    it('a deactivated user’s sessions end, and do not come back with a reactivation', async () => {
      const u = await userWithPassword();
      const a = await signIn(u.email);
      await f.admin.delete(`/api/v1/users/${u.id}`);
      await f.admin.patch(`/api/v1/users/${u.id}`, { active: true });
      expect(await isSignedIn(a)).toBe(false);
      expect(await t.database.db.selectFrom('sessions').select('id').where('user_id', '=', u.id).execute()).toEqual([]);
      expect(JSON.parse((await eventsOf(u.id)).find((e) => e.type === 'user.sessions_revoked')!.payload)).toEqual({ reason: 'deactivated', sessionsEnded: 1 });
    });
  });

  describe('password change', () => {
    it('needs the current password, keeps this session, ends the others and keeps the API tokens', async () => {
      const u = await userWithPassword();
      const here = await signIn(u.email);
      const elsewhere = await signIn(u.email, PASSWORD, SAFARI);
      const res = await as(here, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ otherSessionsEnded: 1 });
      expect(await isSignedIn(here)).toBe(true);
      expect(await isSignedIn(elsewhere)).toBe(false);
      expect((await u.as.get('/api/v1/me')).status).toBe(200);
      await signIn(u.email, NEW_PASSWORD);
      const old = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD }, remoteAddress: nextIp() });
      expect(old.statusCode).toBe(401);

      const events = await eventsOf(u.id);
      const changed = events.find((e) => e.type === 'user.password_changed')!;
      expect(changed).toMatchObject({ actor_id: u.id, org_id: null });
      expect(JSON.parse(changed.payload)).toEqual({ by: 'self', sessionsEnded: 1 });
      const hash = (await t.database.db.selectFrom('users').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow()).password_hash!;
      for (const e of events) {
        for (const secret of [PASSWORD, NEW_PASSWORD, hash, here, elsewhere]) expect(e.payload).not.toContain(secret);
      }
    });

    it('a wrong current password is refused with a field error, and counts against the sign-in limit', async () => {
      const u = await userWithPassword();
      const session = await signIn(u.email);
      const other = await signIn(u.email);
      const ip = nextIp();
      for (let i = 0; i < 5; i++) {
        const res = await as(session, 'POST', '/api/v1/me/password', { currentPassword: 'not-the-password', newPassword: NEW_PASSWORD }, ip);
        expect(res.statusCode).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({ code: 'auth.wrong_password', errors: [{ path: 'currentPassword', message: 'Wrong password' }] });
      }
      // The sixth try waits, even with the right password; sign-in waits too.
      const limited = await as(session, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, nextIp());
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD }, remoteAddress: nextIp() })).statusCode).toBe(429);
      // Nothing changed, nothing ended.
      expect(await isSignedIn(other)).toBe(true);
      clock.advance(16 * 60_000);
      expect((await as(session, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })).statusCode).toBe(200);
    });

    it('a short new password is a 422 field error in words; a missing field is a 400', async () => {
      const u = await userWithPassword();
      const session = await signIn(u.email);
      const short = await as(session, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'short' });
      expect(short.statusCode).toBe(422);
      expect(short.json().errors).toEqual([{ path: 'newPassword', message: 'At least 10 characters' }]);
      const missing = await as(session, 'POST', '/api/v1/me/password', { newPassword: NEW_PASSWORD });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().errors.map((e: { path: string }) => e.path)).toEqual(['currentPassword']);
      await signIn(u.email);
    });

    it('an admin reset ends every session of the user', async () => {
      const u = await userWithPassword();
      const [a, b] = [await signIn(u.email), await signIn(u.email, PASSWORD, SAFARI)];
      expect((await f.admin.patch(`/api/v1/users/${u.id}`, { password: NEW_PASSWORD })).status).toBe(200);
      expect([await isSignedIn(a), await isSignedIn(b)]).toEqual([false, false]);
      expect((await u.as.get('/api/v1/me')).status).toBe(200);
      const changed = (await eventsOf(u.id)).find((e) => e.type === 'user.password_changed')!;
      expect(JSON.parse(changed.payload)).toEqual({ by: 'admin', sessionsEnded: 2 });
      // Editing anything else ends nothing.
      const c = await signIn(u.email, NEW_PASSWORD);
      await f.admin.patch(`/api/v1/users/${u.id}`, { name: 'Renamed' });
      expect(await isSignedIn(c)).toBe(true);
    });

    it('nobody sets their own password through PATCH /users/{me}, not even an admin: it takes the current one, at POST /me/password', async () => {
      const u = await userWithPassword('requester');
      const [here, elsewhere] = [await signIn(u.email), await signIn(u.email, PASSWORD, SAFARI)];
      const admin = await f.admin.get('/api/v1/me');
      const adminSession = await signIn(ADMIN.email, ADMIN.password);
      const attempts = [
        () => as(here, 'PATCH', `/api/v1/users/${u.id}`, { password: NEW_PASSWORD }),
        () => as(here, 'PATCH', `/api/v1/users/${u.id}`, { name: 'Renamed', password: NEW_PASSWORD }),
        () => t.app.inject({ method: 'PATCH', url: `/api/v1/users/${u.id}`, headers: { authorization: `Bearer ${u.token}` }, payload: { password: NEW_PASSWORD } }),
        () => as(adminSession, 'PATCH', `/api/v1/users/${admin.body.id}`, { password: NEW_PASSWORD }),
        () => t.app.inject({ method: 'PATCH', url: `/api/v1/users/${admin.body.id}`, headers: { authorization: `Bearer ${t.adminToken}` }, payload: { password: NEW_PASSWORD } }),
      ];
      for (const attempt of attempts) {
        const res = await attempt();
        expect(res.statusCode, res.body).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({ code: 'user.own_password', errors: [{ path: 'password' }] });
        expect(res.json().detail).toMatch(/account page .*\/me\/password/);
      }
      // Nothing changed: the old passwords sign in, no session ended, nothing recorded.
      expect([await isSignedIn(here), await isSignedIn(elsewhere), await isSignedIn(adminSession)]).toEqual([true, true, true]);
      await signIn(u.email);
      await signIn(ADMIN.email, ADMIN.password);
      expect((await u.as.get('/api/v1/me')).body.name).not.toBe('Renamed');
      for (const id of [u.id, admin.body.id]) expect((await eventsOf(id)).map((e) => e.type)).not.toContain('user.password_changed');
      // Their own name and language still go through PATCH.
      expect((await as(here, 'PATCH', `/api/v1/users/${u.id}`, { name: 'Renamed', locale: 'fr' })).statusCode).toBe(200);
    });

    it('holds the shared limit against wrong current passwords sent in parallel', async () => {
      const u = await userWithPassword();
      const session = await signIn(u.email);
      const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => as(session, 'POST', '/api/v1/me/password', { currentPassword: `not-the-password-${i}`, newPassword: NEW_PASSWORD }, nextIp())));
      const statuses = burst.map((r) => r.statusCode);
      expect(statuses.filter((s) => s !== 403 && s !== 429)).toEqual([]);
      expect(statuses.filter((s) => s === 403).length).toBeLessThanOrEqual(5);
    });
  });

  describe('API tokens', () => {
    it('account security answers to a session only: a token, even a full one, gets 403 auth.session_required', async () => {
      const u = await userWithPassword();
      const session = await signIn(u.email);
      const me = client(t.app, { session });
      const inOneMinute = new Date(clock.now().getTime() + 60_000).toISOString();
      const short = await me.post('/api/v1/api-tokens', { name: 'one minute', expiresAt: inOneMinute });
      expect(short.status).toBe(201);
      const tokenIds = async () => (await me.get('/api/v1/api-tokens')).body.items.map((x: { id: number }) => x.id);
      const tokensBefore = await tokenIds();
      for (const token of [u.token, short.body.token]) {
        const bearer = client(t.app, token);
        const writes = [
          () => bearer.post('/api/v1/api-tokens', { name: 'forever' }),
          () => bearer.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }),
          () => bearer.post('/api/v1/me/two-factor/totp'),
          () => bearer.post('/api/v1/me/two-factor/totp/confirm', { code: '123456' }),
          () => bearer.post('/api/v1/me/two-factor/recovery-codes', { password: PASSWORD }),
          () => bearer.delete('/api/v1/me/two-factor', { password: PASSWORD }),
          () => bearer.delete('/api/v1/me/sessions/some-session'),
          () => bearer.post('/api/v1/me/sessions/revoke-others'),
        ];
        for (const write of writes) {
          const res = await write();
          expect(res.status, JSON.stringify(res.body)).toBe(403);
          expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
          expect(res.body).toMatchObject({ status: 403, code: 'auth.session_required' });
          expect(res.body.detail).toMatch(/API token may not change account security/);
        }
      }
      // Nothing happened: no new token, no two-factor seed, the password and the session are as they were.
      expect(await tokenIds()).toEqual(tokensBefore);
      expect(await t.database.db.selectFrom('user_totp').select('user_id').where('user_id', '=', u.id).execute()).toEqual([]);
      expect(await isSignedIn(session)).toBe(true);
      await signIn(u.email);
      // Tokens still read all of it, and may give themselves up.
      const bearer = client(t.app, short.body.token);
      for (const url of ['/api/v1/me/sessions', '/api/v1/me/two-factor', '/api/v1/api-tokens']) expect((await bearer.get(url)).status, url).toBe(200);
      expect((await bearer.delete(`/api/v1/api-tokens/${short.body.id}`)).status).toBe(204);
      // The session does it all.
      expect((await me.post('/api/v1/me/sessions/revoke-others')).status).toBe(200);
    });

    it('a read-only token reads but is refused on every unsafe method', async () => {
      const u = await userWithPassword();
      const me = client(t.app, { session: await signIn(u.email) });
      const org = await f.organization();
      const created = await me.post('/api/v1/api-tokens', { name: 'dashboard', readOnly: true });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'dashboard', readOnly: true, expiresAt: null, lastUsedAt: null });
      const ro = client(t.app, created.body.token);
      expect((await ro.get('/api/v1/me')).status).toBe(200);
      expect((await ro.get('/api/v1/incidents')).status).toBe(200);
      expect((await ro.get('/api/v1/me/sessions')).status).toBe(200);
      const writes = [
        () => ro.post('/api/v1/incidents', { title: 'Read-only', description: 'Should not exist', orgId: org.id }),
        () => ro.patch(`/api/v1/users/${u.id}`, { name: 'Changed' }),
        () => ro.delete(`/api/v1/api-tokens/${created.body.id}`),
        () => ro.post('/api/v1/api-tokens', { name: 'escalate' }),
        () => ro.post('/api/v1/me/sessions/revoke-others'),
      ];
      for (const write of writes) {
        const res = await write();
        expect(res.status).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 403, code: 'auth.read_only_token' });
      }
      const put = await t.app.inject({ method: 'PUT', url: '/api/v1/incidents/1', headers: { authorization: `Bearer ${created.body.token}` }, payload: {} });
      expect(put.statusCode).toBe(403);
      expect((await u.as.get('/api/v1/me')).body.name).not.toBe('Changed');
      // The same user's full token still writes.
      expect((await u.as.patch(`/api/v1/users/${u.id}`, { name: 'Changed' })).status).toBe(200);
    });

    it('an expired token answers 401 like a revoked one and leaves the list, cache or not', async () => {
      const u = await userWithPassword();
      const me = client(t.app, { session: await signIn(u.email) });
      const inPast = await me.post('/api/v1/api-tokens', { name: 'late', expiresAt: new Date(clock.now().getTime() - 1000).toISOString() });
      expect(inPast.status).toBe(422);
      expect(inPast.body.errors).toEqual([{ path: 'expiresAt', message: 'Must be in the future' }]);
      expect((await me.post('/api/v1/api-tokens', { name: 'bad', expiresAt: 'tomorrow' })).status).toBe(400);

      const expiresAt = new Date(clock.now().getTime() + 3_600_000).toISOString();
      const created = await me.post('/api/v1/api-tokens', { name: 'one hour', expiresAt });
      expect(created.status).toBe(201);
      expect(created.body.expiresAt).toBe(expiresAt);
      const temp = client(t.app, created.body.token);
      expect((await temp.get('/api/v1/me')).status).toBe(200);
      expect((await u.as.get('/api/v1/api-tokens')).body.items.map((x: { id: number }) => x.id)).toContain(created.body.id);

      // Right after a use (still in the lookup cache), one hour later by the clock: refused.
      clock.advance(3_600_000);
      const expired = await temp.get('/api/v1/me');
      expect(expired.status).toBe(401);
      expect(String(expired.headers['content-type'])).toMatch(/^application\/problem\+json/);
      const revoked = await me.post('/api/v1/api-tokens', { name: 'revoked' });
      await u.as.delete(`/api/v1/api-tokens/${revoked.body.id}`);
      expect((await client(t.app, revoked.body.token).get('/api/v1/me')).body).toEqual(expired.body);
      expect((await u.as.get('/api/v1/api-tokens')).body.items.map((x: { id: number }) => x.id)).not.toContain(created.body.id);
    });

    it('records the last use at most once a minute', async () => {
      const u = await userWithPassword();
      const me = client(t.app, { session: await signIn(u.email) });
      const created = (await me.post('/api/v1/api-tokens', { name: 'poller' })).body;
      const poller = client(t.app, created.token);
      const lastUsed = async () => ((await u.as.get('/api/v1/api-tokens')).body.items as { id: number; lastUsedAt: string | null }[]).find((x) => x.id === created.id)!.lastUsedAt;
      expect(await lastUsed()).toBeNull();
      const first = clock.now().toISOString();
      await poller.get('/api/v1/me');
      expect(await lastUsed()).toBe(first);
      clock.advance(30_000);
      forgetCachedTokens();
      await poller.get('/api/v1/me');
      expect(await lastUsed()).toBe(first);
      clock.advance(31_000);
      forgetCachedTokens();
      await poller.get('/api/v1/me');
      expect(await lastUsed()).toBe(clock.now().toISOString());
    });

    it('creating and revoking a token are recorded, without the secret', async () => {
      const u = await userWithPassword();
      const me = client(t.app, { session: await signIn(u.email) });
      const created = (await me.post('/api/v1/api-tokens', { name: 'audit me', readOnly: true })).body;
      await u.as.delete(`/api/v1/api-tokens/${created.id}`);
      const events = (await eventsOf(u.id)).filter((e) => e.type.startsWith('api_token.'));
      expect(events.map((e) => [e.type, e.actor_id, e.org_id, JSON.parse(e.payload)])).toEqual([
        ['api_token.created', u.id, null, { tokenId: created.id, name: 'audit me', readOnly: true, expiresAt: null }],
        ['api_token.revoked', u.id, null, { tokenId: created.id, name: 'audit me' }],
      ]);
      const hash = (await t.database.db.selectFrom('api_tokens').select('token_hash').where('id', '=', created.id).executeTakeFirstOrThrow()).token_hash;
      for (const e of events) for (const secret of [created.token, hash]) expect(e.payload).not.toContain(secret);
    });
  });
});

import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { buildCtx } from '../../src/app.ts';
import { openSession } from '../../src/auth/auth.service.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { ADMIN, client, DIALECTS, type Reply, signIn, startTestApp, testClock, type TestApp } from '../test-app.ts';

const PASSWORD = 'two-factor-pw-123';
const STEP_MS = 30_000;

describe.each(DIALECTS)('two-factor sign-in on %s', (dialect) => {
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  const clock = testClock();
  let ipSeq = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
  });
  afterAll(() => t?.close());
  afterEach(async () => {
    expect((await putSettings(false)).status).toBe(200);
  });

  type Inject = Awaited<ReturnType<TestApp['app']['inject']>>;
  const reply = (res: Inject): Reply => ({ status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers });
  const post = async (url: string, payload: object, token?: string) =>
    t.app.inject({ method: 'POST', url, payload, headers: token ? { authorization: `Bearer ${token}` } : {}, remoteAddress: `203.0.113.${++ipSeq % 250}` });
  const login = (email: string, password = PASSWORD) => post('/api/v1/auth/login', { email, password });
  const secondStep = (challenge: string, code: string) => post('/api/v1/auth/login/two-factor', { challenge, code });
  const putSettings = async (requireTwoFactorForStaff: boolean, token = t.adminToken) =>
    reply(await t.app.inject({ method: 'PUT', url: '/api/v1/settings/security', payload: { requireTwoFactorForStaff }, headers: { authorization: `Bearer ${token}` } }));
  const codeNow = (secret: string, offsetMs = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now().getTime() + offsetMs });
  const session = (res: Inject) => res.cookies.find((c) => c.name === 'vigie_session')?.value;

  /** A user with a password; `as` acts through their API token, `me` through a session (account security). */
  async function user(role: 'requester' | 'agent' | 'admin' = 'agent') {
    const org = role === 'requester' ? await f.organization() : null;
    const u = await f.user(role, { password: PASSWORD, ...(org && { orgId: org.id }) });
    const email = (u as unknown as { email: string }).email;
    return { ...u, email, me: (await signIn(t.app, email, PASSWORD)).as };
  }

  /** A user with TOTP on: its seed and recovery codes. The clock moves to the next step, so that a fresh code is usable. */
  async function enrolled(role: 'requester' | 'agent' | 'admin' = 'agent') {
    const u = await user(role);
    const enrolment = await u.me.post('/api/v1/me/two-factor/totp');
    expect(enrolment.status).toBe(200);
    const confirm = await u.me.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(enrolment.body.secret) });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    clock.advance(STEP_MS);
    return { ...u, secret: enrolment.body.secret as string, recoveryCodes: confirm.body.recoveryCodes as string[] };
  }

  async function challengeFor(email: string) {
    const res = await login(email);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ twoFactorRequired: true, challenge: expect.any(String), methods: expect.arrayContaining(['totp']) });
    expect(session(res)).toBeUndefined();
    return res.json().challenge as string;
  }

  function expectProblem(res: Reply | Inject, status: number, code?: string) {
    const r = 'statusCode' in res ? reply(res) : res;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(String(r.headers['content-type'])).toMatch(/^application\/problem\+json/);
    if (code) expect(r.body.code).toBe(code);
    expect(r.body.detail).toMatch(/\w+ \w+/);
  }

  async function eventsOf(userId: number) {
    return t.database.db.selectFrom('events').selectAll().where('aggregate_type', '=', 'user').where('aggregate_id', '=', userId).orderBy('id').execute();
  }

  describe('enrolment', () => {
    it('gives a seed, an otpauth URI for "Vigie" and the e-mail, and a QR code; stores the seed sealed', async () => {
      const u = await user();
      const res = await u.me.post('/api/v1/me/two-factor/totp');
      expect(res.status).toBe(200);
      const { secret, otpauthUri, qrDataUrl } = res.body;
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      const uri = new URL(otpauthUri);
      expect(uri.protocol).toBe('otpauth:');
      expect(decodeURIComponent(uri.pathname)).toBe(`/Vigie:${u.email}`);
      expect(uri.searchParams.get('issuer')).toBe('Vigie');
      expect(uri.searchParams.get('secret')).toBe(secret);
      expect(qrDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(Buffer.from(qrDataUrl.split(',')[1], 'base64').toString()).toMatch(/^<svg[^>]*>.*<\/svg>\s*$/s);
      const row = await t.database.db.selectFrom('user_totp').selectAll().where('user_id', '=', u.id).executeTakeFirstOrThrow();
      expect(row.secret).not.toContain(secret);
      expect(row.secret).toMatch(/^v2\./);
      expect(row.enabled_at).toBeNull();
      // Pending: not on yet, and the password alone still signs in.
      expect((await u.as.get('/api/v1/me/two-factor')).body).toEqual({ enabled: false, enabledAt: null, totp: false, passkeys: 0, recoveryCodesLeft: 0, required: false });
      expect((await login(u.email)).statusCode).toBe(200);
    });

    it('turns on with a current code only, answers 10 recovery codes once, and cannot be started again', async () => {
      const u = await user();
      const { secret } = (await u.me.post('/api/v1/me/two-factor/totp')).body;
      expectProblem(await u.me.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(secret, 5 * STEP_MS) }), 422, 'two_factor.invalid_proof');
      const ok = await u.me.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(secret) });
      expect(ok.status).toBe(200);
      expect(ok.body.recoveryCodes).toHaveLength(10);
      expect(new Set(ok.body.recoveryCodes).size).toBe(10);
      const status = (await u.as.get('/api/v1/me/two-factor')).body;
      expect(status).toEqual({ enabled: true, enabledAt: clock.now().toISOString(), totp: true, passkeys: 0, recoveryCodesLeft: 10, required: false });
      expectProblem(await u.me.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(secret) }), 409, 'two_factor.already_enabled');
      expectProblem(await u.me.post('/api/v1/me/two-factor/totp'), 409, 'two_factor.already_enabled');
      const codes = await t.database.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', u.id).execute();
      expect(JSON.stringify(codes)).not.toContain(ok.body.recoveryCodes[0]);
      expect((await eventsOf(u.id)).map((e) => [e.type, e.actor_id, JSON.parse(e.payload)])).toContainEqual(['user.two_factor_enabled', u.id, {}]);
    });

    it('a new enrolment replaces an unconfirmed one: only the latest seed confirms', async () => {
      const u = await user();
      const first = (await u.me.post('/api/v1/me/two-factor/totp')).body.secret;
      const second = (await u.me.post('/api/v1/me/two-factor/totp')).body.secret;
      expect(second).not.toBe(first);
      expectProblem(await u.me.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(first) }), 422);
      expect((await u.me.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(second) })).status).toBe(200);
    });

    it('set-ups started at once all answer (the last one wins), and one seed confirms', async () => {
      const u = await user();
      const starts = await Promise.all(Array.from({ length: 5 }, () => u.me.post('/api/v1/me/two-factor/totp')));
      expect(starts.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect(await t.database.db.selectFrom('user_totp').select('user_id').where('user_id', '=', u.id).execute()).toHaveLength(1);
      let confirmed = 0;
      for (const start of starts) {
        if (confirmed > 0) break;
        const res = await u.me.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(start.body.secret) });
        if (res.status === 200) confirmed++;
        else expectProblem(res, 422, 'two_factor.invalid_proof');
      }
      expect(confirmed).toBe(1);
    });

    it('confirming without a started enrolment is a conflict', async () => {
      const u = await user();
      expectProblem(await u.me.post('/api/v1/me/two-factor/totp/confirm', { code: '123456' }), 409, 'two_factor.not_started');
    });

    it('with two-factor already on through a passkey, an authenticator app needs the password and leaves the recovery codes as they are', async () => {
      const u = await user();
      const options = await u.me.post('/api/v1/me/two-factor/passkeys/options');
      const added = await u.me.post('/api/v1/me/two-factor/passkeys', { name: 'Laptop', response: new SoftwareAuthenticator('http://localhost').register(options.body) });
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      const recoveryCodes = added.body.recoveryCodes as string[];
      // The session alone does not let anyone add an app of their own: without proof, with a wrong one, or with a code
      // (a passkey-only user has no app code to give), no seed is handed out.
      expectProblem(await u.me.post('/api/v1/me/two-factor/totp'), 422, 'two_factor.proof_required');
      expectProblem(await u.me.post('/api/v1/me/two-factor/totp', { password: 'wrong-password' }), 422, 'two_factor.invalid_proof');
      expectProblem(await u.me.post('/api/v1/me/two-factor/totp', { code: '123456' }), 422, 'two_factor.invalid_proof');
      expectProblem(await u.me.post('/api/v1/me/two-factor/totp', { password: PASSWORD, code: '123456' }), 400);
      expect((await t.database.db.selectFrom('user_totp').select('user_id').where('user_id', '=', u.id).execute()).length).toBe(0);
      const enrolment = await u.me.post('/api/v1/me/two-factor/totp', { password: PASSWORD });
      expect(enrolment.status, JSON.stringify(enrolment.body)).toBe(200);
      const confirm = await u.me.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(enrolment.body.secret) });
      expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
      expect(confirm.body).toEqual({});
      expect((await u.me.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: true, totp: true, passkeys: 1, recoveryCodesLeft: 10 });
      // The recovery codes given with the passkey still sign in.
      clock.advance(STEP_MS);
      const res = await secondStep(await challengeFor(u.email), recoveryCodes[0]);
      expect(res.statusCode, res.body).toBe(200);
    });
  });

  describe('sign-in', () => {
    it('password then code: 202 with a challenge and no session, then 200 with the user and the session', async () => {
      const u = await enrolled();
      const challenge = await challengeFor(u.email);
      const res = await secondStep(challenge, codeNow(u.secret));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: u.id, email: u.email, role: 'agent', teamIds: [] });
      expect(res.json().recoveryCodes).toBeUndefined();
      const cookie = session(res)!;
      expect((await t.app.inject({ url: '/api/v1/me', cookies: { vigie_session: cookie } })).json().id).toBe(u.id);
      // The challenge is spent.
      clock.advance(STEP_MS);
      expectProblem(await secondStep(challenge, codeNow(u.secret)), 401, 'auth.challenge_expired');
    });

    it('users without two-factor keep the plain 200 answer', async () => {
      const u = await user('requester');
      const res = await login(u.email);
      expect(res.statusCode).toBe(200);
      expect(session(res)).toBeDefined();
    });

    it('a wrong code is a 401 in words; the same challenge then takes the right code', async () => {
      const u = await enrolled();
      const challenge = await challengeFor(u.email);
      const wrongCode = codeNow(u.secret, 10 * STEP_MS);
      expectProblem(await secondStep(challenge, wrongCode), 401, 'auth.invalid_code');
      expect((await secondStep(challenge, codeNow(u.secret))).statusCode).toBe(200);
    });

    it('accepts one step of drift either way, not two', async () => {
      const u = await enrolled();
      expectProblem(await secondStep(await challengeFor(u.email), codeNow(u.secret, -2 * STEP_MS)), 401, 'auth.invalid_code');
      expectProblem(await secondStep(await challengeFor(u.email), codeNow(u.secret, 2 * STEP_MS)), 401, 'auth.invalid_code');
      expect((await secondStep(await challengeFor(u.email), codeNow(u.secret, STEP_MS))).statusCode).toBe(200);
      clock.advance(3 * STEP_MS);
      expect((await secondStep(await challengeFor(u.email), codeNow(u.secret, -STEP_MS))).statusCode).toBe(200);
    });

    it('refuses a code already used within its window (replay), and takes the next one', async () => {
      const u = await enrolled();
      const code = codeNow(u.secret);
      expect((await secondStep(await challengeFor(u.email), code)).statusCode).toBe(200);
      clock.advance(10_000);
      expectProblem(await secondStep(await challengeFor(u.email), code), 401, 'auth.code_reused');
      // The code of the step before the one used is refused too.
      expectProblem(await secondStep(await challengeFor(u.email), codeNow(u.secret, -STEP_MS)), 401);
      clock.advance(STEP_MS);
      expect((await secondStep(await challengeFor(u.email), codeNow(u.secret))).statusCode).toBe(200);
    });

    it('a recovery code signs in once, in any case and with or without its dash', async () => {
      const u = await enrolled();
      const [first, second] = u.recoveryCodes as [string, string];
      expect((await secondStep(await challengeFor(u.email), first)).statusCode).toBe(200);
      expectProblem(await secondStep(await challengeFor(u.email), first), 401, 'auth.invalid_code');
      expect((await secondStep(await challengeFor(u.email), ` ${second.replace('-', '').toUpperCase()} `)).statusCode).toBe(200);
      expect((await u.as.get('/api/v1/me/two-factor')).body.recoveryCodesLeft).toBe(8);
      // Another user's recovery code is just unknown.
      const other = await enrolled();
      expectProblem(await secondStep(await challengeFor(u.email), other.recoveryCodes[0]!), 401, 'auth.invalid_code');
    });

    it('a challenge expires after 5 minutes', async () => {
      const u = await enrolled();
      const challenge = await challengeFor(u.email);
      clock.advance(5 * 60_000 + 1000);
      expectProblem(await secondStep(challenge, codeNow(u.secret)), 401, 'auth.challenge_expired');
      expectProblem(await secondStep('vc_made-up', codeNow(u.secret)), 401, 'auth.challenge_expired');
    });

    it('limits wrong codes per account: the 6th try is 429 even with the right code, until the window passes', async () => {
      const u = await enrolled();
      const challenge = await challengeFor(u.email);
      for (let i = 0; i < 5; i++) expectProblem(await secondStep(challenge, codeNow(u.secret, (10 + i) * STEP_MS)), 401);
      const limited = await secondStep(challenge, codeNow(u.secret));
      expectProblem(limited, 429, 'auth.rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // A new password sign-in does not reset the count.
      expectProblem(await secondStep(await challengeFor(u.email), codeNow(u.secret)), 429);
      // Other accounts are not affected.
      const other = await enrolled();
      expect((await secondStep(await challengeFor(other.email), codeNow(other.secret))).statusCode).toBe(200);
      clock.advance(16 * 60_000);
      expect((await secondStep(await challengeFor(u.email), codeNow(u.secret))).statusCode).toBe(200);
    });
  });

  describe('codes sent in parallel', () => {
    /** `n` six-digit codes that none of the steps around now accepts. */
    const wrongCodes = (secret: string, n: number) => {
      const accepted = new Set([-2, -1, 0, 1, 2].map((step) => codeNow(secret, step * STEP_MS)));
      return Array.from({ length: n + accepted.size }, (_, i) => String(100000 + i)).filter((c) => !accepted.has(c)).slice(0, n);
    };
    const statuses = (res: Inject[]) => res.map((r) => r.statusCode).sort();

    it('the limit of wrong codes holds: at most 5 are checked, the others wait (429)', async () => {
      const u = await enrolled();
      const challenge = await challengeFor(u.email);
      const res = await Promise.all(wrongCodes(u.secret, 60).map((code) => secondStep(challenge, code)));
      const answered = statuses(res);
      expect(answered.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      expect(answered.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
      expect((await t.database.db.selectFrom('two_factor_failures').select('id').where('user_id', '=', u.id).execute()).length).toBeLessThanOrEqual(5);
    });

    it('one sign-in spends one code: several recovery codes sent with the same challenge spend only the first', async () => {
      const u = await enrolled();
      const challenge = await challengeFor(u.email);
      const res = await Promise.all(u.recoveryCodes.slice(0, 4).map((code) => secondStep(challenge, code)));
      expect(statuses(res)).toEqual([200, 401, 401, 401]);
      for (const r of res.filter((x) => x.statusCode === 401)) expect(r.json().code).toBe('auth.challenge_expired');
      expect(res.filter((r) => session(r) !== undefined)).toHaveLength(1);
      expect((await u.as.get('/api/v1/me/two-factor')).body.recoveryCodesLeft).toBe(9);
    });

    it('a code is accepted once, whatever the number of sign-ins it is sent to at once', async () => {
      const u = await enrolled();
      const challenges = async () => Promise.all([1, 2, 3, 4, 5].map(() => challengeFor(u.email)));
      expect(statuses(await Promise.all((await challenges()).map((c) => secondStep(c, u.recoveryCodes[0]!))))).toEqual([200, 401, 401, 401, 401]);
      // The wrong tries of the losers pass with the window.
      clock.advance(16 * 60_000);
      const code = codeNow(u.secret);
      expect(statuses(await Promise.all((await challenges()).map((c) => secondStep(c, code))))).toEqual([200, 401, 401, 401, 401]);
    });
  });

  describe('recovery codes and turning off', () => {
    it('regenerates after the password or a code; the old codes stop working', async () => {
      const u = await enrolled();
      expectProblem(await u.me.post('/api/v1/me/two-factor/recovery-codes', { password: 'not-the-password' }), 422, 'two_factor.invalid_proof');
      expectProblem(await u.me.post('/api/v1/me/two-factor/recovery-codes', {}), 400);
      const byPassword = await u.me.post('/api/v1/me/two-factor/recovery-codes', { password: PASSWORD });
      expect(byPassword.status).toBe(200);
      expect(byPassword.body.recoveryCodes).toHaveLength(10);
      const byCode = await u.me.post('/api/v1/me/two-factor/recovery-codes', { code: codeNow(u.secret) });
      expect(byCode.status).toBe(200);
      expect(byCode.body.recoveryCodes).not.toEqual(byPassword.body.recoveryCodes);
      expectProblem(await secondStep(await challengeFor(u.email), u.recoveryCodes[0]!), 401);
      expectProblem(await secondStep(await challengeFor(u.email), byPassword.body.recoveryCodes[0]), 401);
      expect((await secondStep(await challengeFor(u.email), byCode.body.recoveryCodes[0])).statusCode).toBe(200);
      expect((await eventsOf(u.id)).filter((e) => e.type === 'user.recovery_codes_regenerated')).toHaveLength(2);
    });

    it('turns off after the password: the password alone signs in again', async () => {
      const u = await enrolled();
      expectProblem(await u.me.delete('/api/v1/me/two-factor', { password: 'not-the-password' }), 422);
      expect((await u.me.delete('/api/v1/me/two-factor', { password: PASSWORD })).status).toBe(204);
      expect((await u.as.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
      expect((await login(u.email)).statusCode).toBe(200);
      expectProblem(await u.me.delete('/api/v1/me/two-factor', { password: PASSWORD }), 409, 'two_factor.not_enabled');
      const disabled = (await eventsOf(u.id)).filter((e) => e.type === 'user.two_factor_disabled');
      expect(disabled.map((e) => [e.actor_id, JSON.parse(e.payload)])).toEqual([[u.id, { reason: 'self' }]]);
    });
  });

  describe('required for staff', () => {
    it('only admins read and change the setting; a change is an event', async () => {
      const agent = await user();
      expectProblem(await agent.as.get('/api/v1/settings/security'), 403);
      expectProblem(await putSettings(true, agent.token), 403);
      const admin = client(t.app, t.adminToken);
      expect((await admin.get('/api/v1/settings/security')).body).toEqual({ requireTwoFactorForStaff: false });
      expect((await putSettings(true)).body).toEqual({ requireTwoFactorForStaff: true });
      expect((await admin.get('/api/v1/settings/security')).body).toEqual({ requireTwoFactorForStaff: true });
      const events = await t.database.db.selectFrom('events').selectAll().where('type', '=', 'settings.updated').orderBy('id', 'desc').execute();
      expect(events[0]).toMatchObject({ aggregate_type: 'settings', org_id: null });
      expect(JSON.parse(events[0]!.payload)).toEqual({ key: 'security', changes: [{ field: 'requireTwoFactorForStaff', from: false, to: true }], sessionsEnded: expect.any(Number) });
      expect((await putSettings(false)).status).toBe(200);
      const off = await t.database.db.selectFrom('events').select('payload').where('type', '=', 'settings.updated').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(JSON.parse(off.payload)).toEqual({ key: 'security', changes: [{ field: 'requireTwoFactorForStaff', from: true, to: false }] });
    });

    it('turning it on signs out staff who signed in with a password alone and have not set it up, but not the admin doing it', async () => {
      const signedIn = async (res: Inject) => (await t.app.inject({ url: '/api/v1/me', cookies: { vigie_session: session(res)! } })).statusCode === 200;
      const agent = await user();
      const manager = await f.user('manager', { password: PASSWORD });
      const managerPassword = await login((manager as unknown as { email: string }).email);
      const agentPassword = await login(agent.email);
      const withApp = await enrolled();
      const withAppPassword = await login(withApp.email); // a code was asked: no session, nothing to end
      expect(withAppPassword.statusCode).toBe(202);
      const withAppSession = await secondStep(await challengeFor(withApp.email), codeNow(withApp.secret));
      const requester = await user('requester');
      const requesterPassword = await login(requester.email);
      const adminHere = await login(ADMIN.email, ADMIN.password);
      const adminElsewhere = await login(ADMIN.email, ADMIN.password);
      // Single sign-on leaves the second factor to the identity provider: such a session stays.
      const sso = await openSession(buildCtx({ database: t.database, clock }), agent.id, { ip: '203.0.113.9', userAgent: undefined, method: 'sso' });
      const ssoSignedIn = async () => (await t.app.inject({ url: '/api/v1/me', cookies: { vigie_session: sso.sessionToken } })).statusCode === 200;
      const sessionsBefore = (await t.database.db.selectFrom('sessions').select('id').execute()).length;

      const res = await t.app.inject({ method: 'PUT', url: '/api/v1/settings/security', payload: { requireTwoFactorForStaff: true }, cookies: { vigie_session: session(adminHere)! } });
      expect(res.statusCode, res.body).toBe(200);
      expect(await signedIn(agentPassword)).toBe(false);
      expect(await signedIn(managerPassword)).toBe(false);
      expect((await agent.me.get('/api/v1/me')).status).toBe(401);
      expect(await signedIn(adminElsewhere)).toBe(false);
      expect(await signedIn(adminHere)).toBe(true);
      expect(await signedIn(withAppSession)).toBe(true);
      expect((await withApp.me.get('/api/v1/me')).status).toBe(200);
      expect(await signedIn(requesterPassword)).toBe(true);
      expect(await ssoSignedIn()).toBe(true);
      // API tokens are no sessions.
      expect((await agent.as.get('/api/v1/me')).status).toBe(200);
      const sessionsAfter = (await t.database.db.selectFrom('sessions').select('id').execute()).length;
      const event = await t.database.db.selectFrom('events').select(['payload', 'actor_id']).where('type', '=', 'settings.updated').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(JSON.parse(event.payload).sessionsEnded).toBe(sessionsBefore - sessionsAfter);
      expect(sessionsBefore - sessionsAfter).toBeGreaterThanOrEqual(4);
      // Their next password sign-in asks for the set-up.
      expect((await login(agent.email)).json()).toMatchObject({ twoFactorSetupRequired: true });
      // Already required: saving it again ends nothing more.
      expect((await putSettings(true)).status).toBe(200);
      expect(await signedIn(adminHere)).toBe(true);
      expect((await t.database.db.selectFrom('sessions').select('id').execute()).length).toBe(sessionsAfter);
    });

    it('staff without it set it up at sign-in and get their session and recovery codes; requesters are not asked', async () => {
      const agent = await user();
      const requester = await user('requester');
      await putSettings(true);
      const res = await login(agent.email);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ twoFactorSetupRequired: true, challenge: expect.any(String) });
      expect(session(res)).toBeUndefined();
      const { challenge } = res.json();
      // Without a session the account cannot be used.
      expect((await t.app.inject({ url: '/api/v1/me' })).statusCode).toBe(401);
      // A recovery code or a code before the set-up is of no use.
      expectProblem(await secondStep(challenge, '123456'), 409, 'two_factor.not_started');
      const setup = await post('/api/v1/auth/login/two-factor/setup', { challenge });
      expect(setup.statusCode).toBe(200);
      const { secret } = setup.json();
      expectProblem(await secondStep(challenge, codeNow(secret, 5 * STEP_MS)), 401, 'auth.invalid_code');
      const done = await secondStep(challenge, codeNow(secret));
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ id: agent.id, recoveryCodes: expect.any(Array) });
      expect(done.json().recoveryCodes).toHaveLength(10);
      expect(session(done)).toBeDefined();
      // From now on: password then code; turning it off is refused while required.
      clock.advance(STEP_MS);
      expect((await secondStep(await challengeFor(agent.email), codeNow(secret))).statusCode).toBe(200);
      expect((await agent.as.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: true, required: true });
      expectProblem(await client(t.app, { session: session(done)! }).delete('/api/v1/me/two-factor', { password: PASSWORD }), 409, 'two_factor.required');
      expect((await login(requester.email)).statusCode).toBe(200);
      expect((await requester.as.get('/api/v1/me/two-factor')).body.required).toBe(false);
    });

    it('a set-up challenge expires after 15 minutes; a code challenge cannot start a set-up', async () => {
      const agent = await user();
      const enrolledAgent = await enrolled();
      await putSettings(true);
      const { challenge } = (await login(agent.email)).json();
      clock.advance(15 * 60_000 + 1000);
      expectProblem(reply(await post('/api/v1/auth/login/two-factor/setup', { challenge })), 401, 'auth.challenge_expired');
      const verify = await challengeFor(enrolledAgent.email);
      expectProblem(reply(await post('/api/v1/auth/login/two-factor/setup', { challenge: verify })), 409, 'auth.challenge_purpose');
    });
  });

  describe('sign-ins half-way through end with the sessions', () => {
    const NEW_PASSWORD = 'another-two-factor-pw-456';
    type Enrolled = Awaited<ReturnType<typeof enrolled>>;
    const cases: [string, (u: Enrolled) => Promise<Reply>][] = [
      ['their own password change', (u) => u.me.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD })],
      ["an admin's password reset", (u) => f.admin.patch(`/api/v1/users/${u.id}`, { password: NEW_PASSWORD })],
      ['a deactivation (then a reactivation)', async (u) => (await f.admin.delete(`/api/v1/users/${u.id}`), f.admin.patch(`/api/v1/users/${u.id}`, { active: true }))],
      ['"sign out everywhere else"', (u) => u.me.post('/api/v1/me/sessions/revoke-others')],
      ["an admin's \"sign out of every session\"", (u) => f.admin.delete(`/api/v1/users/${u.id}/sessions`)],
    ];
    it.each(cases)('%s ends the challenges waiting for a second factor', async (_what, end) => {
      const u = await enrolled();
      const challenge = await challengeFor(u.email);
      expect((await end(u)).status).toBe(200);
      expectProblem(await secondStep(challenge, codeNow(u.secret)), 401, 'auth.challenge_expired');
      expect(await t.database.db.selectFrom('login_challenges').select('id').where('user_id', '=', u.id).execute()).toEqual([]);
    });

    it('so does an admin reset of a forced set-up: the old password cannot finish it', async () => {
      const agent = await user();
      await putSettings(true);
      const { challenge } = (await login(agent.email)).json();
      expect((await f.admin.patch(`/api/v1/users/${agent.id}`, { password: NEW_PASSWORD })).status).toBe(200);
      expectProblem(await post('/api/v1/auth/login/two-factor/setup', { challenge }), 401, 'auth.challenge_expired');
    });
  });

  describe('admin reset', () => {
    it('removes a user’s seed and recovery codes; where required, the user sets it up again at sign-in', async () => {
      const u = await enrolled();
      const admin = client(t.app, t.adminToken);
      const otherAgent = await user();
      expectProblem(await otherAgent.as.delete(`/api/v1/users/${u.id}/two-factor`), 403);
      expectProblem(await otherAgent.as.get(`/api/v1/users/${u.id}/two-factor`), 403);
      expect((await admin.get(`/api/v1/users/${u.id}/two-factor`)).body).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
      const challenge = await challengeFor(u.email);
      expect((await admin.delete(`/api/v1/users/${u.id}/two-factor`)).status).toBe(204);
      expectProblem(await admin.delete('/api/v1/users/987654/two-factor'), 404);
      expect((await admin.get(`/api/v1/users/${u.id}/two-factor`)).body).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
      // A sign-in half-way through is over.
      expectProblem(await secondStep(challenge, codeNow(u.secret)), 401, 'auth.challenge_expired');
      expect((await login(u.email)).statusCode).toBe(200);
      await putSettings(true);
      expect((await login(u.email)).json()).toMatchObject({ twoFactorSetupRequired: true });
      const events = (await eventsOf(u.id)).filter((e) => e.type === 'user.two_factor_disabled');
      expect(events.map((e) => [e.actor_id, JSON.parse(e.payload)])).toEqual([[1, { reason: 'admin_reset' }]]);
    });
  });

  it('no seed, code or recovery code ever reaches the outbox', async () => {
    const u = await enrolled();
    await u.me.post('/api/v1/me/two-factor/recovery-codes', { password: PASSWORD });
    const payloads = (await t.database.db.selectFrom('events').select('payload').execute()).map((e) => e.payload).join('\n');
    expect(payloads).not.toContain(u.secret);
    for (const c of u.recoveryCodes) expect(payloads).not.toContain(c);
    expect(payloads).not.toMatch(/secret|recoveryCodes/);
  });
});

import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { client, DIALECTS, type Reply, signIn, startTestApp, testClock, type TestApp } from '../test-app.ts';

const PASSWORD = 'passkey-pw-123';
/** What app.inject() presents as the request's own origin (Host: localhost:80). */
const ORIGIN = 'http://localhost';

describe.each(DIALECTS)('passkeys on %s', (dialect) => {
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  const clock = testClock();
  let ipSeq = 0;

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
  });
  afterAll(() => t?.close());

  type Inject = Awaited<ReturnType<TestApp['app']['inject']>>;
  const reply = (res: Inject): Reply => ({ status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers });
  const post = async (url: string, payload: object) => reply(await t.app.inject({ method: 'POST', url, payload, remoteAddress: `198.51.100.${++ipSeq % 250}` }));
  const session = (res: Inject) => res.cookies.find((c) => c.name === 'vigie_session')?.value;

  function expectProblem(r: Reply, status: number, code?: string) {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(String(r.headers['content-type'])).toMatch(/^application\/problem\+json/);
    if (code) expect(r.body.code).toBe(code);
  }

  async function user(role: 'requester' | 'agent' | 'admin' = 'agent') {
    const org = role === 'requester' ? await f.organization() : null;
    const u = await f.user(role, { password: PASSWORD, ...(org && { orgId: org.id }) });
    const email = (u as unknown as { email: string }).email;
    return { ...u, email, me: (await signIn(t.app, email, PASSWORD)).as };
  }

  async function addPasskey(u: Awaited<ReturnType<typeof user>>, name = 'Laptop', key = new SoftwareAuthenticator(ORIGIN)) {
    // The password is only checked once two-factor sign-in is on.
    const options = await u.me.post('/api/v1/me/two-factor/passkeys/options', { password: PASSWORD });
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    const added = await u.me.post('/api/v1/me/two-factor/passkeys', { name, response: key.register(options.body) });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    return { key, added: added.body };
  }

  async function withPasskey(role: 'requester' | 'agent' | 'admin' = 'agent') {
    const u = await user(role);
    const { key, added } = await addPasskey(u);
    return { ...u, key, passkeyId: added.passkey.id as number, recoveryCodes: added.recoveryCodes as string[] };
  }

  async function challengeFor(email: string) {
    const res = await post('/api/v1/auth/login', { email, password: PASSWORD });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    return res.body as { challenge: string; methods: string[] };
  }

  async function signInWithPasskey(email: string, key: SoftwareAuthenticator, over: Parameters<SoftwareAuthenticator['authenticate']>[1] = {}) {
    const { challenge } = await challengeFor(email);
    const options = await post('/api/v1/auth/login/two-factor/passkey-options', { challenge });
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/passkey', payload: { challenge, response: key.authenticate(options.body, over) } });
    return { challenge, options: options.body, res };
  }

  async function eventsOf(userId: number) {
    return t.database.db.selectFrom('events').selectAll().where('aggregate_type', '=', 'user').where('aggregate_id', '=', userId).orderBy('id').execute();
  }

  it('registers a passkey: options for rp "Vigie" at this host, verified and stored; two-factor turns on with recovery codes', async () => {
    const u = await user();
    const options = await u.me.post('/api/v1/me/two-factor/passkeys/options');
    expect(options.status).toBe(200);
    expect(options.body.rp).toEqual({ name: 'Vigie', id: 'localhost' });
    expect(options.body.user.name).toBe(u.email);
    const key = new SoftwareAuthenticator(ORIGIN);
    const added = await u.me.post('/api/v1/me/two-factor/passkeys', { name: 'YubiKey', response: key.register(options.body) });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.passkey).toEqual({ id: expect.any(Number), name: 'YubiKey', transports: ['internal'], createdAt: clock.now().toISOString(), lastUsedAt: null });
    expect(added.body.recoveryCodes).toHaveLength(10);
    const row = await t.database.db.selectFrom('user_passkeys').selectAll().where('user_id', '=', u.id).executeTakeFirstOrThrow();
    expect(row.credential_id).toBe(key.id);
    expect(Number(row.counter)).toBe(0);
    expect((await u.me.get('/api/v1/me/two-factor/passkeys')).body.items).toEqual([added.body.passkey]);
    expect((await u.me.get('/api/v1/me/two-factor')).body).toEqual({
      enabled: true,
      enabledAt: clock.now().toISOString(),
      totp: false,
      passkeys: 1,
      recoveryCodesLeft: 10,
      required: false,
    });
    const events = (await eventsOf(u.id)).map((e) => [e.type, JSON.parse(e.payload)]);
    expect(events).toContainEqual(['user.two_factor_enabled', {}]);
    expect(events).toContainEqual(['user.passkey_added', { passkeyId: added.body.passkey.id, name: 'YubiKey' }]);
    // In the admin audit log, with nothing of the key itself.
    const audit = await t.app.inject({ url: `/api/v1/audit-log?aggregateType=user&aggregateId=${u.id}`, headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json().items.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['user.passkey_added', 'user.two_factor_enabled']));
    expect(audit.body).not.toContain(key.id);
    expect(audit.body).not.toContain(row.public_key);
    // A second passkey: no new recovery codes (the user has some).
    const second = await addPasskey(u, 'Phone');
    expect(second.added.recoveryCodes).toBeUndefined();
    expect((await u.me.get('/api/v1/me/two-factor')).body.passkeys).toBe(2);
  });

  it('registration options are single use and short-lived; the registration must answer their challenge', async () => {
    const u = await user();
    const key = new SoftwareAuthenticator(ORIGIN);
    const options = (await u.me.post('/api/v1/me/two-factor/passkeys/options')).body;
    expect((await u.me.post('/api/v1/me/two-factor/passkeys', { name: 'A', response: key.register(options) })).status).toBe(200);
    const again = new SoftwareAuthenticator(ORIGIN);
    expectProblem(await u.me.post('/api/v1/me/two-factor/passkeys', { name: 'B', response: again.register(options) }), 409, 'passkey.not_started');
    const old = (await u.me.post('/api/v1/me/two-factor/passkeys/options', { password: PASSWORD })).body;
    clock.advance(6 * 60_000);
    expectProblem(await u.me.post('/api/v1/me/two-factor/passkeys', { name: 'B', response: again.register(old) }), 409, 'passkey.not_started');
    const fresh = (await u.me.post('/api/v1/me/two-factor/passkeys/options', { password: PASSWORD })).body;
    expectProblem(await u.me.post('/api/v1/me/two-factor/passkeys', { name: 'B', response: again.register({ ...fresh, challenge: old.challenge }) }), 422, 'passkey.invalid_response');
    expect((await u.me.get('/api/v1/me/two-factor')).body.passkeys).toBe(1);
  });

  it('refuses a registration made for another origin or relying party, and a credential already registered', async () => {
    const u = await user();
    const key = new SoftwareAuthenticator(ORIGIN);
    for (const over of [{ origin: 'http://evil.test' }, { rpID: 'evil.test' }, { origin: 'http://localhost:8080' }]) {
      const options = (await u.me.post('/api/v1/me/two-factor/passkeys/options')).body;
      expectProblem(await u.me.post('/api/v1/me/two-factor/passkeys', { name: 'Evil', response: key.register(options, over) }), 422, 'passkey.invalid_response');
    }
    expect((await u.me.get('/api/v1/me/two-factor')).body.enabled).toBe(false);
    await addPasskey(u, 'Mine', key);
    const other = await user();
    const options = (await other.me.post('/api/v1/me/two-factor/passkeys/options')).body;
    expectProblem(await other.me.post('/api/v1/me/two-factor/passkeys', { name: 'Copy', response: key.register(options) }), 409, 'passkey.already_registered');
  });

  it('once two-factor is on, adding a passkey needs the password or a code, and never hands out recovery codes', async () => {
    const u = await withPasskey();
    expectProblem(await u.me.post('/api/v1/me/two-factor/passkeys/options'), 422, 'two_factor.proof_required');
    expectProblem(await u.me.post('/api/v1/me/two-factor/passkeys/options', { password: 'wrong-password' }), 422, 'two_factor.invalid_proof');
    expectProblem(await u.me.post('/api/v1/me/two-factor/passkeys/options', { code: '123456' }), 422, 'two_factor.invalid_proof');
    // Without live options, nothing can be registered.
    const key = new SoftwareAuthenticator(ORIGIN);
    expectProblem(await u.me.post('/api/v1/me/two-factor/passkeys', { name: 'Attacker', response: key.register({ challenge: 'AAAA', rp: { id: 'localhost' } }) }), 409, 'passkey.not_started');
    // Every recovery code spent: adding a passkey does not mint new ones (regenerating them needs proof of its own).
    await t.database.db.updateTable('recovery_codes').set({ used_at: clock.now().toISOString() }).where('user_id', '=', u.id).execute();
    const second = await addPasskey(u, 'Phone');
    expect(second.added.recoveryCodes).toBeUndefined();
    expect((await u.me.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: true, passkeys: 2, recoveryCodesLeft: 0 });
    // A current app code is proof too.
    const enrolment = await u.me.post('/api/v1/me/two-factor/totp', { password: PASSWORD });
    const code = (offset = 0) => TOTP.generate({ secret: Secret.fromBase32(enrolment.body.secret), timestamp: clock.now().getTime() + offset });
    expect((await u.me.post('/api/v1/me/two-factor/totp/confirm', { code: code() })).body).toEqual({});
    clock.advance(30_000);
    const options = await u.me.post('/api/v1/me/two-factor/passkeys/options', { code: code() });
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    const third = await u.me.post('/api/v1/me/two-factor/passkeys', { name: 'Key', response: new SoftwareAuthenticator(ORIGIN).register(options.body) });
    expect(third.status, JSON.stringify(third.body)).toBe(200);
    expect(third.body.recoveryCodes).toBeUndefined();
    expect((await u.me.get('/api/v1/me/two-factor')).body).toMatchObject({ passkeys: 3, recoveryCodesLeft: 0 });
  });

  it('the passkey routes of /me refuse API tokens', async () => {
    const u = await user();
    expect((await u.as.post('/api/v1/me/two-factor/passkeys/options')).status).toBe(403);
    expect((await u.as.post('/api/v1/me/two-factor/passkeys', { name: 'x', response: {} })).status).toBeGreaterThanOrEqual(400);
  });

  it('signs in with password and passkey: methods offered, options list only their passkeys, counter and last use stored, session method two_factor', async () => {
    const u = await withPasskey();
    const { challenge, methods } = await challengeFor(u.email);
    expect(methods).toEqual(['passkey', 'recovery']);
    const options = await post('/api/v1/auth/login/two-factor/passkey-options', { challenge });
    expect(options.status).toBe(200);
    expect(options.body.rpId).toBe('localhost');
    expect(options.body.allowCredentials).toEqual([{ id: u.key.id, type: 'public-key', transports: ['internal'] }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/passkey', payload: { challenge, response: u.key.authenticate(options.body) } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().email).toBe(u.email);
    const token = session(res)!;
    expect(token).toBeTruthy();
    const sessions = await t.app.inject({ method: 'GET', url: '/api/v1/me/sessions', cookies: { vigie_session: token } });
    expect(sessions.json().items.find((s: { current: boolean }) => s.current)?.method).toBe('two_factor');
    const row = await t.database.db.selectFrom('user_passkeys').selectAll().where('id', '=', u.passkeyId).executeTakeFirstOrThrow();
    expect(Number(row.counter)).toBe(1);
    expect(row.last_used_at).toBe(clock.now().toISOString());
    // The challenge is spent: the same answer again finds it gone.
    const replay = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/passkey', payload: { challenge, response: u.key.authenticate(options.body) } });
    expectProblem(reply(replay), 401, 'auth.challenge_expired');
  });

  it('refuses an assertion for another origin or relying party, a replayed or lower counter, and another user\'s passkey', async () => {
    const u = await withPasskey();
    for (const over of [{ origin: 'http://evil.test' }, { rpID: 'evil.test' }]) {
      const { res } = await signInWithPasskey(u.email, u.key, over);
      expectProblem(reply(res), 401, 'auth.invalid_passkey');
      expect(session(res)).toBeUndefined();
    }
    expect((await signInWithPasskey(u.email, u.key)).res.statusCode).toBe(200);
    expect((await signInWithPasskey(u.email, u.key)).res.statusCode).toBe(200);
    // A clone of the authenticator replaying an older counter value (same or lower) is refused.
    for (const counter of [u.key.counter, u.key.counter - 1]) {
      const { res } = await signInWithPasskey(u.email, u.key, { counter });
      expectProblem(reply(res), 401, 'auth.invalid_passkey');
    }
    // Another user's passkey, however valid, does not sign this user in.
    const other = await withPasskey();
    const { challenge, options } = await (async () => {
      const c = await challengeFor(u.email);
      return { challenge: c.challenge, options: (await post('/api/v1/auth/login/two-factor/passkey-options', { challenge: c.challenge })).body };
    })();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/passkey', payload: { challenge, response: other.key.authenticate(options) } });
    expectProblem(reply(res), 401, 'auth.invalid_passkey');
    // A wrong answer leaves the challenge for another try, as a wrong code does.
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/passkey', payload: { challenge, response: u.key.authenticate(options) } });
    expect(ok.statusCode, ok.body).toBe(200);
    clock.advance(16 * 60_000);
  });

  it('the same assertion sent to several sign-ins at once opens one session', async () => {
    const u = await withPasskey();
    const { challenge } = await challengeFor(u.email);
    const options = (await post('/api/v1/auth/login/two-factor/passkey-options', { challenge })).body;
    const response = u.key.authenticate(options);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/passkey', payload: { challenge, response } })),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 401, 401, 401]);
    expect(answers.filter((r) => session(r)).length).toBe(1);
  });

  it('a passkey needs its options first, an expired challenge and a user without passkeys are refused; wrong attempts are limited', async () => {
    const u = await withPasskey();
    const { challenge } = await challengeFor(u.email);
    const early = await post('/api/v1/auth/login/two-factor/passkey', { challenge, response: u.key.authenticate({ challenge: 'AAAA' }) });
    expectProblem(early, 409, 'auth.passkey_not_started');
    const options = (await post('/api/v1/auth/login/two-factor/passkey-options', { challenge })).body;
    clock.advance(6 * 60_000);
    expectProblem(await post('/api/v1/auth/login/two-factor/passkey', { challenge, response: u.key.authenticate(options) }), 401, 'auth.challenge_expired');
    expectProblem(await post('/api/v1/auth/login/two-factor/passkey-options', { challenge }), 401, 'auth.challenge_expired');

    // A TOTP-only user has no passkey to offer.
    const totpUser = await user();
    const { secret } = (await totpUser.me.post('/api/v1/me/two-factor/totp')).body;
    expect((await totpUser.me.post('/api/v1/me/two-factor/totp/confirm', { code: TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now().getTime() }) })).status).toBe(200);
    clock.advance(30_000);
    const totpChallenge = await challengeFor(totpUser.email);
    expect(totpChallenge.methods).toEqual(['totp', 'recovery']);
    expectProblem(await post('/api/v1/auth/login/two-factor/passkey-options', { challenge: totpChallenge.challenge }), 409, 'auth.no_passkey');

    // Five wrong answers, then 429 even for the right one.
    const c = await challengeFor(u.email);
    const opts = (await post('/api/v1/auth/login/two-factor/passkey-options', { challenge: c.challenge })).body;
    for (let i = 0; i < 5; i++) {
      expectProblem(await post('/api/v1/auth/login/two-factor/passkey', { challenge: c.challenge, response: u.key.authenticate(opts, { origin: 'http://evil.test' }) }), 401, 'auth.invalid_passkey');
    }
    expectProblem(await post('/api/v1/auth/login/two-factor/passkey', { challenge: c.challenge, response: u.key.authenticate(opts) }), 429, 'auth.rate_limited');
    clock.advance(16 * 60_000);
  });

  it('recovery codes given with a passkey sign in; TOTP codes are refused for a passkey-only user', async () => {
    const u = await withPasskey();
    const { challenge } = await challengeFor(u.email);
    expectProblem(await post('/api/v1/auth/login/two-factor', { challenge, code: '123456' }), 401, 'auth.invalid_code');
    const ok = await post('/api/v1/auth/login/two-factor', { challenge, code: u.recoveryCodes[0] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('removing a passkey needs the password; removing the last one turns two-factor off; foreign ids are 404', async () => {
    const u = await withPasskey();
    const second = await addPasskey(u, 'Phone');
    expectProblem(await u.me.delete(`/api/v1/me/two-factor/passkeys/${u.passkeyId}`, { password: 'wrong-password' }), 422, 'two_factor.invalid_proof');
    const other = await withPasskey();
    expectProblem(await other.me.delete(`/api/v1/me/two-factor/passkeys/${u.passkeyId}`, { password: PASSWORD }), 404);
    expect((await u.me.delete(`/api/v1/me/two-factor/passkeys/${u.passkeyId}`, { password: PASSWORD })).status).toBe(204);
    expect((await u.me.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: true, passkeys: 1, recoveryCodesLeft: 10 });
    expect((await u.me.delete(`/api/v1/me/two-factor/passkeys/${second.added.passkey.id}`, { password: PASSWORD })).status).toBe(204);
    expect((await u.me.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: false, passkeys: 0, recoveryCodesLeft: 0 });
    expect((await post('/api/v1/auth/login', { email: u.email, password: PASSWORD })).status).toBe(200);
    const events = (await eventsOf(u.id)).map((e) => [e.type, JSON.parse(e.payload)]);
    expect(events).toContainEqual(['user.passkey_removed', { passkeyId: u.passkeyId, name: 'Laptop' }]);
    expect(events).toContainEqual(['user.two_factor_disabled', { reason: 'self' }]);
  });

  it('two passkeys removed at once, while two-factor is required of staff: one goes, the last one stays', async () => {
    const u = await withPasskey('agent');
    const second = await addPasskey(u, 'Phone');
    const put = (on: boolean) => t.app.inject({ method: 'PUT', url: '/api/v1/settings/security', payload: { requireTwoFactorForStaff: on }, headers: { authorization: `Bearer ${t.adminToken}` } });
    expect((await put(true)).statusCode).toBe(200);
    try {
      const { res } = await signInWithPasskey(u.email, u.key);
      expect(res.statusCode, res.body).toBe(200);
      const me = client(t.app, { session: session(res)! });
      // Each request sees two passkeys before its removal; the removals then run one after the other.
      const answers = await Promise.all([u.passkeyId, second.added.passkey.id].map((id) => me.delete(`/api/v1/me/two-factor/passkeys/${id}`, { password: PASSWORD })));
      expect(answers.map((r) => r.status).sort()).toEqual([204, 409]);
      expectProblem(answers.find((r) => r.status === 409)!, 409, 'two_factor.required');
      expect((await me.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: true, passkeys: 1, recoveryCodesLeft: 10, required: true });
    } finally {
      expect((await put(false)).statusCode).toBe(200);
    }
  });

  it('a malformed Host header answers 400, not a server error', async () => {
    for (const host of ['a b', '[::1', 'exa mple.com:80']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/passkey-options', headers: { host }, payload: { challenge: 'x' } });
      expectProblem(reply(res), 400, 'request.invalid_host');
    }
  });

  it('the last passkey stays while two-factor is required of staff', async () => {
    const u = await withPasskey('agent');
    const put = (on: boolean) => t.app.inject({ method: 'PUT', url: '/api/v1/settings/security', payload: { requireTwoFactorForStaff: on }, headers: { authorization: `Bearer ${t.adminToken}` } });
    expect((await put(true)).statusCode).toBe(200);
    try {
      // Sessions opened with the password alone ended with the requirement: sign in again, with the passkey.
      const { res } = await signInWithPasskey(u.email, u.key);
      expect(res.statusCode, res.body).toBe(200);
      const me = client(t.app, { session: session(res)! });
      expectProblem(await me.delete(`/api/v1/me/two-factor/passkeys/${u.passkeyId}`, { password: PASSWORD }), 409, 'two_factor.required');
      expect((await me.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: true, passkeys: 1, required: true });
    } finally {
      expect((await put(false)).statusCode).toBe(200);
    }
  });

  it('turning two-factor off, or an admin reset, removes passkeys too', async () => {
    const u = await withPasskey();
    expect((await u.me.delete('/api/v1/me/two-factor', { password: PASSWORD })).status).toBe(204);
    expect((await u.me.get('/api/v1/me/two-factor/passkeys')).body.items).toEqual([]);
    expect((await u.me.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: false, passkeys: 0, recoveryCodesLeft: 0 });

    const v = await withPasskey();
    const reset = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${v.id}/two-factor`, headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(reset.statusCode).toBe(204);
    expect(await t.database.db.selectFrom('user_passkeys').select('id').where('user_id', '=', v.id).execute()).toEqual([]);
    expect((await post('/api/v1/auth/login', { email: v.email, password: PASSWORD })).status).toBe(200);
  });
});

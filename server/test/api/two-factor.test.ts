import { Secret, TOTP } from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { client, DIALECTS, type Reply, startTestApp, testClock, type TestApp } from '../test-app.ts';

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
  const deleteWithBody = async (url: string, token: string, payload: object) =>
    reply(await t.app.inject({ method: 'DELETE', url, payload, headers: { authorization: `Bearer ${token}` } }));
  const codeNow = (secret: string, offsetMs = 0) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: clock.now().getTime() + offsetMs });
  const session = (res: Inject) => res.cookies.find((c) => c.name === 'vigie_session')?.value;

  async function user(role: 'requester' | 'agent' | 'admin' = 'agent') {
    const org = role === 'requester' ? await f.organization() : null;
    const u = await f.user(role, { password: PASSWORD, ...(org && { orgId: org.id }) });
    return { ...u, email: (u as unknown as { email: string }).email };
  }

  /** A user with TOTP on: its seed and recovery codes. The clock moves to the next step, so that a fresh code is usable. */
  async function enrolled(role: 'requester' | 'agent' | 'admin' = 'agent') {
    const u = await user(role);
    const enrolment = await u.as.post('/api/v1/me/two-factor/totp');
    expect(enrolment.status).toBe(200);
    const confirm = await u.as.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(enrolment.body.secret) });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
    clock.advance(STEP_MS);
    return { ...u, secret: enrolment.body.secret as string, recoveryCodes: confirm.body.recoveryCodes as string[] };
  }

  async function challengeFor(email: string) {
    const res = await login(email);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ twoFactorRequired: true, challenge: expect.any(String) });
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
      const res = await u.as.post('/api/v1/me/two-factor/totp');
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
      expect((await u.as.get('/api/v1/me/two-factor')).body).toEqual({ enabled: false, enabledAt: null, recoveryCodesLeft: 0, required: false });
      expect((await login(u.email)).statusCode).toBe(200);
    });

    it('turns on with a current code only, answers 10 recovery codes once, and cannot be started again', async () => {
      const u = await user();
      const { secret } = (await u.as.post('/api/v1/me/two-factor/totp')).body;
      expectProblem(await u.as.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(secret, 5 * STEP_MS) }), 422, 'two_factor.invalid_proof');
      const ok = await u.as.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(secret) });
      expect(ok.status).toBe(200);
      expect(ok.body.recoveryCodes).toHaveLength(10);
      expect(new Set(ok.body.recoveryCodes).size).toBe(10);
      const status = (await u.as.get('/api/v1/me/two-factor')).body;
      expect(status).toEqual({ enabled: true, enabledAt: clock.now().toISOString(), recoveryCodesLeft: 10, required: false });
      expectProblem(await u.as.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(secret) }), 409, 'two_factor.already_enabled');
      expectProblem(await u.as.post('/api/v1/me/two-factor/totp'), 409, 'two_factor.already_enabled');
      const codes = await t.database.db.selectFrom('recovery_codes').selectAll().where('user_id', '=', u.id).execute();
      expect(JSON.stringify(codes)).not.toContain(ok.body.recoveryCodes[0]);
      expect((await eventsOf(u.id)).map((e) => [e.type, e.actor_id, JSON.parse(e.payload)])).toContainEqual(['user.two_factor_enabled', u.id, {}]);
    });

    it('a new enrolment replaces an unconfirmed one: only the latest seed confirms', async () => {
      const u = await user();
      const first = (await u.as.post('/api/v1/me/two-factor/totp')).body.secret;
      const second = (await u.as.post('/api/v1/me/two-factor/totp')).body.secret;
      expect(second).not.toBe(first);
      expectProblem(await u.as.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(first) }), 422);
      expect((await u.as.post('/api/v1/me/two-factor/totp/confirm', { code: codeNow(second) })).status).toBe(200);
    });

    it('confirming without a started enrolment is a conflict', async () => {
      const u = await user();
      expectProblem(await u.as.post('/api/v1/me/two-factor/totp/confirm', { code: '123456' }), 409, 'two_factor.not_started');
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

  describe('recovery codes and turning off', () => {
    it('regenerates after the password or a code; the old codes stop working', async () => {
      const u = await enrolled();
      expectProblem(await u.as.post('/api/v1/me/two-factor/recovery-codes', { password: 'not-the-password' }), 422, 'two_factor.invalid_proof');
      expectProblem(await u.as.post('/api/v1/me/two-factor/recovery-codes', {}), 400);
      const byPassword = await u.as.post('/api/v1/me/two-factor/recovery-codes', { password: PASSWORD });
      expect(byPassword.status).toBe(200);
      expect(byPassword.body.recoveryCodes).toHaveLength(10);
      const byCode = await u.as.post('/api/v1/me/two-factor/recovery-codes', { code: codeNow(u.secret) });
      expect(byCode.status).toBe(200);
      expect(byCode.body.recoveryCodes).not.toEqual(byPassword.body.recoveryCodes);
      expectProblem(await secondStep(await challengeFor(u.email), u.recoveryCodes[0]!), 401);
      expectProblem(await secondStep(await challengeFor(u.email), byPassword.body.recoveryCodes[0]), 401);
      expect((await secondStep(await challengeFor(u.email), byCode.body.recoveryCodes[0])).statusCode).toBe(200);
      expect((await eventsOf(u.id)).filter((e) => e.type === 'user.recovery_codes_regenerated')).toHaveLength(2);
    });

    it('turns off after the password: the password alone signs in again', async () => {
      const u = await enrolled();
      expectProblem(await deleteWithBody('/api/v1/me/two-factor', u.token, { password: 'not-the-password' }), 422);
      expect((await deleteWithBody('/api/v1/me/two-factor', u.token, { password: PASSWORD })).status).toBe(204);
      expect((await u.as.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
      expect((await login(u.email)).statusCode).toBe(200);
      expectProblem(await deleteWithBody('/api/v1/me/two-factor', u.token, { password: PASSWORD }), 409, 'two_factor.not_enabled');
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
      expect(JSON.parse(events[0]!.payload)).toEqual({ key: 'security', changes: [{ field: 'requireTwoFactorForStaff', from: false, to: true }] });
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
      expectProblem(await deleteWithBody('/api/v1/me/two-factor', agent.token, { password: PASSWORD }), 409, 'two_factor.required');
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
    await u.as.post('/api/v1/me/two-factor/recovery-codes', { password: PASSWORD });
    const payloads = (await t.database.db.selectFrom('events').select('payload').execute()).map((e) => e.payload).join('\n');
    expect(payloads).not.toContain(u.secret);
    for (const c of u.recoveryCodes) expect(payloads).not.toContain(c);
    expect(payloads).not.toMatch(/secret|recoveryCodes/);
  });
});

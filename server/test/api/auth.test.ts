import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { ensureFirstAdmin } from '../../src/bootstrap.ts';
import { createDatabase } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { factories } from '../factories.ts';
import { ADMIN, client, createTestDatabase, DIALECTS, startTestApp, testClock, type TestApp } from '../test-app.ts';

const PASSWORD = 'correct-horse-battery';
const WRONG = 'wrong-password-123';

describe.each(DIALECTS)('authentication on %s', (dialect) => {
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  const clock = testClock();
  let ipSeq = 0;
  /** A fresh address per test, so that per-address limits do not leak between tests. */
  const nextIp = () => `198.51.100.${++ipSeq}`;

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
  });
  afterAll(() => t?.close());

  const login = (email: string, password: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress });
  const withSession = (session: string, url: string, method: 'GET' | 'POST' = 'GET') =>
    t.app.inject({ method, url, cookies: { vigie_session: session } });
  const sessionOf = (res: Awaited<ReturnType<typeof login>>) => res.cookies.find((c) => c.name === 'vigie_session')!.value;

  async function userWithPassword(role: 'requester' | 'agent' | 'manager' | 'admin' = 'agent') {
    const org = role === 'requester' ? await f.organization() : null;
    const u = await f.user(role, { password: PASSWORD, ...(org && { orgId: org.id }) });
    return { ...u, email: (u as unknown as { email: string }).email };
  }

  describe('first start', () => {
    it('has created the admin from the configured e-mail and password', async () => {
      const res = await login(ADMIN.email, ADMIN.password, nextIp());
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ email: ADMIN.email, role: 'admin' });
      const admins = await t.database.db.selectFrom('users').select(['email', 'role']).where('role', '=', 'admin').execute();
      expect(admins).toEqual([{ email: ADMIN.email, role: 'admin' }]);
    });

    it('generates and prints a password once when none is configured, and never again', async () => {
      const target = await createTestDatabase(dialect);
      const database = createDatabase(target.url, { poolSize: 2 });
      const printed: string[] = [];
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
      try {
        await migrateToLatest(database.db);
        const opts = { adminEmail: 'first@vigie.test', adminPassword: null, providerName: 'Provider' };
        const log = { info() {}, warn() {} } as never;
        await ensureFirstAdmin(database.db, clock, opts, log);
        await ensureFirstAdmin(database.db, clock, opts, log);
        write.mockRestore();
        const password = /password: (\S+)/.exec(printed.join(''))?.[1];
        expect(password).toBeDefined();
        expect(printed.join('').match(/password:/g)).toHaveLength(1);
        const users = await database.db.selectFrom('users').selectAll().execute();
        expect(users).toHaveLength(1);
        expect(users[0]!.password_hash).toMatch(/^\$argon2id\$/);
        const app = await buildApp({ database, clock, logger: false });
        try {
          const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'first@vigie.test', password } });
          expect(res.statusCode).toBe(200);
          expect(res.json().role).toBe('admin');
        } finally {
          await app.close();
        }
      } finally {
        write.mockRestore();
        await database.close();
        await target.drop();
      }
    });
  });

  describe('sessions', () => {
    it('login sets an HttpOnly session cookie and answers the user, without secrets', async () => {
      const u = await userWithPassword();
      const res = await login(u.email.toUpperCase(), PASSWORD, nextIp());
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: u.id, email: u.email, role: 'agent' });
      expect(JSON.stringify(res.json())).not.toMatch(/password|hash/i);
      const cookie = res.cookies.find((c) => c.name === 'vigie_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie.value.length).toBeGreaterThanOrEqual(32);
      expect(new Date(cookie.expires!).getTime()).toBeGreaterThan(clock.now().getTime() + 86_400_000);
      const header = [res.headers['set-cookie']].flat().join('\n');
      expect(header).toMatch(/vigie_session=[^;]+;.*HttpOnly/i);
      expect(header).toMatch(/SameSite=Lax/i);
    });

    it('/me answers the signed-in user, by session or by token', async () => {
      const u = await userWithPassword('requester');
      const session = sessionOf(await login(u.email, PASSWORD, nextIp()));
      const me = await withSession(session, '/api/v1/me');
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ id: u.id, email: u.email, name: expect.any(String), role: 'requester', orgId: u.orgId, orgScope: [], personId: u.personId, locale: null });
      expect(JSON.stringify(me.json())).not.toMatch(/password|hash/i);
      expect((await u.as.get('/api/v1/me')).body.id).toBe(u.id);
    });

    it('logout ends the session on the server, not only in the browser', async () => {
      const u = await userWithPassword();
      const session = sessionOf(await login(u.email, PASSWORD, nextIp()));
      const other = sessionOf(await login(u.email, PASSWORD, nextIp()));
      const out = await withSession(session, '/api/v1/auth/logout', 'POST');
      expect(out.statusCode).toBe(204);
      const cleared = out.cookies.find((c) => c.name === 'vigie_session')!;
      expect(cleared.value).toBe('');
      expect(new Date(cleared.expires!).getTime()).toBeLessThan(Date.now());
      const after = await withSession(session, '/api/v1/me');
      expectProblem(after, 401);
      // Another session of the same user stays open.
      expect((await withSession(other, '/api/v1/me')).statusCode).toBe(200);
      // Logging out without a session is harmless.
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(204);
    });

    it('sessions are stored hashed', async () => {
      const u = await userWithPassword();
      const session = sessionOf(await login(u.email, PASSWORD, nextIp()));
      const rows = await t.database.db.selectFrom('sessions').selectAll().where('user_id', '=', u.id).execute();
      expect(rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(rows)).not.toContain(session);
      expect(JSON.stringify(rows)).not.toContain(randomPart(session, 'vs'));
    });
  });

  describe('wrong credentials and rate limits', () => {
    it('a wrong password or an unknown e-mail answers the same 401 problem', async () => {
      const u = await userWithPassword();
      const ip = nextIp();
      const wrong = await login(u.email, WRONG, ip);
      const unknown = await login('nobody@example.test', WRONG, ip);
      for (const res of [wrong, unknown]) {
        expectProblem(res, 401);
        expect(res.cookies).toEqual([]);
      }
      expect(wrong.json()).toEqual(unknown.json());
      expect(wrong.json()).toMatchObject({ status: 401, title: expect.any(String), detail: expect.any(String) });
    });

    it('an invalid body is a 400 problem with field errors', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: '' } });
      expectProblem(res, 400);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['email', 'password']));
    });

    it('limits failures per account: the 6th attempt is 429 with Retry-After, even with the right password', async () => {
      const u = await userWithPassword();
      for (let i = 0; i < 5; i++) expectProblem(await login(u.email, WRONG, nextIp()), 401);
      for (const res of [await login(u.email, PASSWORD, nextIp()), await login(u.email, WRONG, nextIp())]) {
        expectProblem(res, 429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.cookies).toEqual([]);
      }
      // Other accounts are not affected.
      const other = await userWithPassword();
      expect((await login(other.email, PASSWORD, nextIp())).statusCode).toBe(200);
      // The window passes.
      clock.advance(16 * 60_000);
      expect((await login(u.email, PASSWORD, nextIp())).statusCode).toBe(200);
    });

    it('holds both limits against guesses sent in parallel', async () => {
      const u = await userWithPassword();
      const count = (res: Awaited<ReturnType<typeof login>>[], status: number) => res.filter((r) => r.statusCode === status).length;
      const onAccount = await Promise.all(Array.from({ length: 40 }, (_, i) => login(u.email, `${WRONG}-${i}`, nextIp())));
      expect(count(onAccount, 401) + count(onAccount, 429)).toBe(40);
      expect(count(onAccount, 401)).toBeLessThanOrEqual(5);
      const ip = nextIp();
      const fromAddress = await Promise.all(Array.from({ length: 60 }, (_, i) => login(`burst${i}@example.test`, WRONG, ip)));
      expect(count(fromAddress, 401) + count(fromAddress, 429)).toBe(60);
      expect(count(fromAddress, 401)).toBeLessThanOrEqual(30);
      clock.advance(16 * 60_000);
      expect((await login(u.email, PASSWORD, ip)).statusCode).toBe(200);
    });

    it('limits failures per address, across many e-mails', async () => {
      const ip = nextIp();
      const u = await userWithPassword();
      let attempts = 0;
      let res = await login(`spray${attempts}@example.test`, WRONG, ip);
      while (res.statusCode === 401 && attempts < 200) res = await login(`spray${++attempts}@example.test`, WRONG, ip);
      expectProblem(res, 429);
      expect(attempts).toBeGreaterThanOrEqual(5);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // Even a right password from that address waits; from another address it works.
      expectProblem(await login(u.email, PASSWORD, ip), 429);
      expect((await login(u.email, PASSWORD, nextIp())).statusCode).toBe(200);
      clock.advance(16 * 60_000);
      expect((await login(u.email, PASSWORD, ip)).statusCode).toBe(200);
    });
  });

  describe('API tokens', () => {
    it('are shown once, listed without the secret, used as Bearer, and revoked', async () => {
      const u = await userWithPassword();
      const session = sessionOf(await login(u.email, PASSWORD, nextIp()));
      const created = await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', cookies: { vigie_session: session }, payload: { name: 'CI' } });
      expect(created.statusCode).toBe(201);
      const { id, token, name } = created.json();
      expect(name).toBe('CI');
      expect(token).toMatch(/^\S{32,}$/);

      const bearer = client(t.app, token);
      expect((await bearer.get('/api/v1/me')).body.id).toBe(u.id);
      const list = await bearer.get('/api/v1/api-tokens');
      expect(list.body.items.map((x: { id: number }) => x.id)).toContain(id);
      expect(JSON.stringify(list.body)).not.toContain(token);
      for (const item of list.body.items) expect(Object.keys(item).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'readOnly']);

      const rows = await t.database.db.selectFrom('api_tokens').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(JSON.stringify(rows)).not.toContain(randomPart(token, 'vigie'));

      expect((await bearer.delete(`/api/v1/api-tokens/${id}`)).status).toBe(204);
      const revoked = await bearer.get('/api/v1/me');
      expect(revoked.status).toBe(401);
      expect(String(revoked.headers['content-type'])).toMatch(/^application\/problem\+json/);
      const after = await withSession(session, '/api/v1/api-tokens');
      expect(after.json().items.map((x: { id: number }) => x.id)).not.toContain(id);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${id}`, cookies: { vigie_session: session } })).statusCode).toBe(404);
    });

    it('a token name is required', async () => {
      const u = await userWithPassword();
      const session = sessionOf(await login(u.email, PASSWORD, nextIp()));
      const res = await client(t.app, { session }).post('/api/v1/api-tokens', { name: '  ' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('name');
    });
  });

  describe('passwords', () => {
    it('are hashed with argon2id, also when changed', async () => {
      const u = await userWithPassword();
      const hashOf = async () => (await t.database.db.selectFrom('users').select('password_hash').where('id', '=', u.id).executeTakeFirstOrThrow()).password_hash!;
      const first = await hashOf();
      expect(first).toMatch(/^\$argon2id\$v=19\$/);
      expect(first).not.toContain(PASSWORD);
      expect((await f.admin.patch(`/api/v1/users/${u.id}`, { password: 'another-password-456' })).status).toBe(200);
      const second = await hashOf();
      expect(second).toMatch(/^\$argon2id\$/);
      expect(second).not.toBe(first);
      expectProblem(await login(u.email, PASSWORD, nextIp()), 401);
      const session = sessionOf(await login(u.email, 'another-password-456', nextIp()));
      const changed = await client(t.app, { session }).post('/api/v1/me/password', { currentPassword: 'another-password-456', newPassword: 'a-third-password-789' });
      expect(changed.status).toBe(200);
      const third = await hashOf();
      expect(third).toMatch(/^\$argon2id\$/);
      expect(third).not.toBe(second);
      const admin = await t.database.db.selectFrom('users').select('password_hash').where('email', '=', ADMIN.email).executeTakeFirstOrThrow();
      expect(admin.password_hash).toMatch(/^\$argon2id\$/);
    });

    it('a user without a password cannot sign in', async () => {
      const u = await f.user('agent');
      const email = (u as unknown as { email: string }).email;
      expectProblem(await login(email, 'anything-at-all', nextIp()), 401);
    });
  });

  describe('deactivated users', () => {
    it('can neither sign in nor use their sessions and tokens, until reactivated', async () => {
      const u = await userWithPassword();
      const session = sessionOf(await login(u.email, PASSWORD, nextIp()));
      expect((await f.admin.delete(`/api/v1/users/${u.id}`)).body.active).toBe(false);

      const denied = await login(u.email, PASSWORD, nextIp());
      expectProblem(denied, 401);
      expect(denied.json()).toEqual((await login(u.email, WRONG, nextIp())).json());
      expectProblem(await withSession(session, '/api/v1/me'), 401);
      const byToken = await u.as.get('/api/v1/me');
      expect(byToken.status).toBe(401);

      expect((await f.admin.patch(`/api/v1/users/${u.id}`, { active: true })).body.active).toBe(true);
      expect((await u.as.get('/api/v1/me')).status).toBe(200);
      expect((await login(u.email, PASSWORD, nextIp())).statusCode).toBe(200);
    });
  });

  describe('unauthenticated requests', () => {
    it('every route but the sign-in steps and logout answers 401 problem+json', async () => {
      const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => [m.toUpperCase(), path] as const));
      expect(routes.length).toBeGreaterThan(20);
      for (const [method, path] of routes) {
        // The sign-in steps are public by nature (two-factor: a made-up challenge is 401, see two-factor.test.ts).
        if (path.startsWith('/api/v1/auth/login') || path === '/api/v1/auth/logout') continue;
        // Single sign-on is public too: it is how one signs in (server/test/api/sso.test.ts).
        if (path.startsWith('/api/v1/auth/sso/')) continue;
        const url = path.replace(/\{[^}]+\}/g, '1');
        for (const headers of [{}, { authorization: 'Bearer vigie_not-a-real-token' }, { cookie: 'vigie_session=vs_not-a-real-session' }]) {
          const res = await t.app.inject({ method: method as 'GET', url, headers, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });
          expectProblem(res, 401, `${method} ${url} ${JSON.stringify(headers)}`);
        }
      }
    });

    it('an encoded path does not slip past authentication', async () => {
      for (const url of ['/api/%761/services', '/api/v%31/incidents', '/api/v1/%73ervices/1']) {
        expectProblem(await t.app.inject({ method: 'GET', url }), 401, url);
      }
    });

    it('a session expires', async () => {
      const u = await userWithPassword();
      const session = sessionOf(await login(u.email, PASSWORD, nextIp()));
      expect((await withSession(session, '/api/v1/me')).statusCode).toBe(200);
      clock.advance(15 * 86_400_000);
      expectProblem(await withSession(session, '/api/v1/me'), 401);
    });
  });
});

describe.each(DIALECTS)('behind a load balancer on %s', (dialect) => {
  const LOAD_BALANCER = '10.0.0.1';
  const login = (t: TestApp, forwardedFor: string, payload: object = ADMIN) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, remoteAddress: LOAD_BALANCER, headers: { 'x-forwarded-for': forwardedFor } });
  const currentSessionIp = async (t: TestApp, res: Awaited<ReturnType<typeof login>>) => {
    expect(res.statusCode, res.body).toBe(200);
    const session = res.cookies.find((c) => c.name === 'vigie_session')!.value;
    const items = (await t.app.inject({ url: '/api/v1/me/sessions', cookies: { vigie_session: session } })).json().items as { current: boolean; ip: string }[];
    return items.find((s) => s.current)!.ip;
  };

  it('trusts one hop (VIGIE_TRUST_PROXY=true): what the client writes further left is not its address', async () => {
    const t = await startTestApp(dialect, { trustProxy: 1 });
    try {
      expect(await currentSessionIp(t, await login(t, '6.6.6.6, 203.0.113.9'))).toBe('203.0.113.9');
      // The audit log records the same address.
      const me = (await client(t.app, t.adminToken).get('/api/v1/me')).body;
      const renamed = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${me.id}`,
        headers: { authorization: `Bearer ${t.adminToken}`, 'x-forwarded-for': '6.6.6.6, 203.0.113.9' },
        remoteAddress: LOAD_BALANCER,
        payload: { name: 'Admin behind a proxy' },
      });
      expect(renamed.statusCode).toBe(200);
      const event = await t.database.db.selectFrom('events').select(['type', 'actor_ip']).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(event).toEqual({ type: 'user.updated', actor_ip: '203.0.113.9' });
      // A client spraying made-up addresses is still one address to the per-address limit.
      const answers: number[] = [];
      for (let i = 0; i < 31; i++) answers.push((await login(t, `192.0.2.${i}, 198.51.100.7`, { email: `nobody${i}@example.test`, password: 'wrong-password' })).statusCode);
      expect(answers.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(answers[30]).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('trusts the listed proxies only, however many hops', async () => {
    const t = await startTestApp(dialect, { trustProxy: ['10.0.0.0/8'] });
    try {
      expect(await currentSessionIp(t, await login(t, '6.6.6.6, 203.0.113.9, 10.0.0.2'))).toBe('203.0.113.9');
      expect(await currentSessionIp(t, await login(t, '203.0.113.10'))).toBe('203.0.113.10');
      // Not from a listed proxy: the connection's own address.
      const direct = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN, remoteAddress: '203.0.113.50', headers: { 'x-forwarded-for': '6.6.6.6' } });
      expect(await currentSessionIp(t, direct)).toBe('203.0.113.50');
    } finally {
      await t.close();
    }
  });
});

/**
 * The random part of a secret, after its prefix. (Not `split('_').at(-1)`: base64url has `_` too, and a
 * short tail such as `a` is found in any JSON, which made the check fail now and then.)
 */
function randomPart(secret: string, prefix: string): string {
  expect(secret.startsWith(`${prefix}_`)).toBe(true);
  return secret.slice(prefix.length + 1);
}

function expectProblem(res: { statusCode?: number; status?: number; headers: Record<string, unknown>; json?: () => any }, status: number, who = '') {
  expect(res.statusCode ?? res.status, who).toBe(status);
  expect(String(res.headers['content-type']), who).toMatch(/^application\/problem\+json/);
  const body = res.json ? res.json() : undefined;
  if (body) expect(body).toMatchObject({ status, title: expect.any(String) });
}

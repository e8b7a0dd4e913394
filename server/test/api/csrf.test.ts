import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { ADMIN, DIALECTS, startTestApp, type TestApp } from '../test-app.ts';

/**
 * Cross-site request forgery: with the session cookie, a state-changing request must come from Vigie's own
 * origin. `inject()` talks to http://localhost:80; a page on another port of the same host is same-site for
 * the browser (SameSite=Lax lets the cookie through), so only the Origin / Sec-Fetch-Site check stops it.
 */
const OWN = 'http://localhost';
const OTHER_PORT = 'http://localhost:5173';

describe.each(DIALECTS)('CSRF on %s', (dialect) => {
  let t: TestApp;
  let session: string;
  let incidentId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const f = factories(t);
    incidentId = (await f.incident(f.admin, { orgId: (await f.organization()).id })).id;
    session = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN })).cookies.find((c) => c.name === 'vigie_session')!.value;
  });
  afterAll(() => t?.close());

  const recompute = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/sla/recompute', cookies: { vigie_session: session }, headers, payload: {} });

  const upload = (headers: Record<string, string>) => {
    const boundary = 'vigieCsrf';
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/attachments`,
      cookies: { vigie_session: session },
      headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="planted.txt"\r\nContent-Type: text/plain\r\n\r\nplanted\r\n--${boundary}--\r\n`,
    });
  };

  function expectRefused(res: Awaited<ReturnType<typeof recompute>>, what: string) {
    expect(res.statusCode, `${what}: ${res.body}`).toBe(403);
    expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
    expect(res.json().code, what).toBe('csrf.origin');
    expect(res.json().detail, what).toMatch(/not from Vigie's own pages/);
  }

  const crossOrigin: [string, Record<string, string>][] = [
    ['Sec-Fetch-Site: same-site (another port)', { 'sec-fetch-site': 'same-site', origin: OTHER_PORT }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    ['Origin of another port, no Sec-Fetch-Site', { origin: OTHER_PORT }],
    ['Origin of another scheme', { origin: 'https://localhost' }],
    ['Origin: null (sandboxed page)', { origin: 'null' }],
  ];
  const sameOrigin: [string, Record<string, string>][] = [
    ['Sec-Fetch-Site: same-origin', { 'sec-fetch-site': 'same-origin', origin: OWN }],
    ['Sec-Fetch-Site: none (typed by the user)', { 'sec-fetch-site': 'none' }],
    ['Origin of this server, no Sec-Fetch-Site', { origin: OWN }],
    ['Origin with the default port spelled out', { origin: 'http://localhost:80' }],
    ['neither header (curl)', {}],
  ];

  it.each(crossOrigin)('refuses POST /sla/recompute with the session cookie: %s', async (what, headers) => {
    expectRefused(await recompute(headers), what);
  });

  it.each(sameOrigin)('accepts POST /sla/recompute with the session cookie: %s', async (what, headers) => {
    const res = await recompute(headers);
    expect(res.statusCode, `${what}: ${res.body}`).toBe(200);
  });

  it('refuses a multipart upload from another port, accepts it from this origin', async () => {
    expectRefused(await upload({ 'sec-fetch-site': 'same-site', origin: OTHER_PORT }), 'same-site upload');
    expectRefused(await upload({ origin: OTHER_PORT }), 'other-port upload');
    const files = await t.app.inject({ url: `/api/v1/incidents/${incidentId}/attachments`, headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(files.json().items).toEqual([]);
    expect((await upload({ 'sec-fetch-site': 'same-origin', origin: OWN })).statusCode).toBe(201);
  });

  it('refuses PATCH and DELETE from another origin too', async () => {
    const headers = { 'sec-fetch-site': 'same-site', origin: OTHER_PORT };
    expectRefused(await t.app.inject({ method: 'PATCH', url: `/api/v1/incidents/${incidentId}`, cookies: { vigie_session: session }, headers, payload: { title: 'Forged' } }), 'PATCH');
    expectRefused(await t.app.inject({ method: 'DELETE', url: '/api/v1/api-tokens/1', cookies: { vigie_session: session }, headers }), 'DELETE');
    const incident = await t.app.inject({ url: `/api/v1/incidents/${incidentId}`, headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(incident.json().title).not.toBe('Forged');
  });

  it('refuses a sign-in posted from another site (login CSRF), accepts it from this origin', async () => {
    expectRefused(await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'sec-fetch-site': 'cross-site' }, payload: ADMIN }), 'login');
    const own = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'sec-fetch-site': 'same-origin', origin: OWN }, payload: ADMIN });
    expect(own.statusCode).toBe(200);
  });

  it('lets reads through whatever their origin', async () => {
    const res = await t.app.inject({ url: '/api/v1/me', cookies: { vigie_session: session }, headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } });
    expect(res.statusCode).toBe(200);
  });

  it('exempts requests with a Bearer token: no ambient credential to forge', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sla/recompute',
      headers: { authorization: `Bearer ${t.adminToken}`, 'sec-fetch-site': 'cross-site', origin: 'https://integration.example' },
      payload: {},
    });
    expect(res.statusCode).toBe(200);
  });

  it.each([['Bearer '], ['Bearer    '], ['Bearer \t']])('a blank bearer (%j) exempts nothing: the cookie it falls back to is checked', async (authorization) => {
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      cookies: { vigie_session: session },
      headers: { authorization, 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      payload: { name: 'forged' },
    });
    expectRefused(forged, `blank bearer ${JSON.stringify(authorization)}`);
    const tokens = await t.app.inject({ url: '/api/v1/api-tokens', headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(tokens.json().items.map((x: { name: string }) => x.name)).not.toContain('forged');
  });

  it('a request exempt for its bearer token is that token’s, never the cookie’s', async () => {
    const f = factories(t);
    const agent = await f.user('agent');
    const res = await t.app.inject({ url: '/api/v1/me', cookies: { vigie_session: session }, headers: { authorization: `Bearer ${agent.token}`, 'sec-fetch-site': 'cross-site' } });
    expect(res.json().id).toBe(agent.id);
    const wrongToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/sla/recompute',
      cookies: { vigie_session: session },
      headers: { authorization: 'Bearer not-a-token', 'sec-fetch-site': 'cross-site' },
      payload: {},
    });
    expect(wrongToken.statusCode).toBe(401);
  });
});

describe.each(DIALECTS)('CSRF behind a proxy on %s', (dialect) => {
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'vigie.example.com' };
  const login = (t: TestApp, headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: ADMIN });

  it('takes its own origin from X-Forwarded-Proto and -Host only when it trusts the proxy', async () => {
    const trusting = await startTestApp(dialect, { trustProxy: true });
    try {
      expect((await login(trusting, { ...forwarded, origin: 'https://vigie.example.com' })).statusCode).toBe(200);
      expect((await login(trusting, { ...forwarded, origin: 'http://localhost' })).statusCode).toBe(403);
    } finally {
      await trusting.close();
    }
    const direct = await startTestApp(dialect);
    try {
      // Without trustProxy the forwarded headers are anyone's to send: the connection's own origin counts.
      expect((await login(direct, { ...forwarded, origin: 'https://vigie.example.com' })).statusCode).toBe(403);
      expect((await login(direct, { ...forwarded, origin: 'http://localhost' })).statusCode).toBe(200);
    } finally {
      await direct.close();
    }
  });
});

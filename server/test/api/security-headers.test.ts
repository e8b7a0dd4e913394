import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProblemHandlers } from '../../src/http/problem.ts';
import { registerSecurityHeaders } from '../../src/http/security-headers.ts';
import { registerWebApp } from '../../src/http/web-app.ts';
import { factories } from '../factories.ts';
import { DIALECTS, startTestApp, type TestApp } from '../test-app.ts';

/** The headers every response must carry, whatever answered it (a route, an error, the 404 handler, a download). */
function expectSecurityHeaders(headers: Record<string, unknown>, what: string) {
  const csp = String(headers['content-security-policy'] ?? '');
  expect(csp, what).not.toBe('');
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['referrer-policy'], what).toBe('no-referrer');
  expect(headers['x-powered-by'], what).toBeUndefined();
  return csp;
}

/** The directives of a policy, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
}

describe.each(DIALECTS)('security headers on %s', (dialect) => {
  let t: TestApp;
  let incidentId: number;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const f = factories(t);
    incidentId = (await f.incident(f.admin, { orgId: (await f.organization()).id })).id;
  });
  afterAll(() => t?.close());

  const auth = () => ({ authorization: `Bearer ${t.adminToken}` });

  it('every kind of answer carries a strict policy, nosniff, DENY framing and a referrer policy', async () => {
    const answers = {
      'API 200': await t.app.inject({ url: '/api/v1/me', headers: auth() }),
      'API 401': await t.app.inject({ url: '/api/v1/me' }),
      'API 404 record': await t.app.inject({ url: '/api/v1/incidents/987654', headers: auth() }),
      'API 400 validation': await t.app.inject({ url: '/api/v1/incidents?limit=0', headers: auth() }),
      'unknown route': await t.app.inject({ url: '/api/v2/nothing' }),
      'unknown method': await t.app.inject({ method: 'PUT', url: '/api/v1/me', headers: auth() }),
      'malformed JSON': await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"title":' }),
      probe: await t.app.inject({ url: '/healthz' }),
      'OpenAPI document': await t.app.inject({ url: '/api/openapi.json' }),
    };
    for (const [what, res] of Object.entries(answers)) {
      const policy = directives(expectSecurityHeaders(res.headers, what));
      expect(policy.get('default-src'), what).toEqual(["'self'"]);
      expect(policy.get('script-src'), what).toEqual(["'self'"]);
      expect(policy.get('script-src-attr'), what).toEqual(["'none'"]);
      expect(policy.get('object-src'), what).toEqual(["'none'"]);
      expect(policy.get('base-uri'), what).toEqual(["'self'"]);
      expect(policy.get('form-action'), what).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors'), what).toEqual(["'none'"]);
      expect(policy.get('connect-src'), what).toEqual(["'self'"]);
      // Styles: this origin and one nonce; never 'unsafe-inline'.
      expect(policy.get('style-src')?.[0], what).toBe("'self'");
      expect(policy.get('style-src')?.[1], what).toMatch(/^'nonce-[A-Za-z0-9+/=]{20,}'$/);
      expect(policy.get('style-src'), what).toHaveLength(2);
    }
    expect(answers['API 401'].statusCode).toBe(401);
    expect(answers['unknown route'].statusCode).toBe(404);
  });

  it('a nonce is drawn for each response', async () => {
    const nonce = async () => directives(String((await t.app.inject({ url: '/healthz' })).headers['content-security-policy'])).get('style-src')![1];
    expect(await nonce()).not.toBe(await nonce());
  });

  it('downloads keep their own sandboxing policy, with the other headers', async () => {
    const boundary = 'vigieHeaders';
    const upload = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/attachments`,
      headers: { ...auth(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="page.html"\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n--${boundary}--\r\n`,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const download = await t.app.inject({ url: `/api/v1/attachments/${upload.json().items[0].id}`, headers: auth() });
    expect(download.statusCode).toBe(200);
    expect(expectSecurityHeaders(download.headers, 'download')).toBe("default-src 'none'; sandbox");
  });

  it('the API docs have the same policy, with the style hash of their logo instead of a nonce', async () => {
    const docs = await t.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    const policy = directives(expectSecurityHeaders(docs.headers, 'docs'));
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('the web app page', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-dist-'));
  const app = Fastify();
  beforeAll(async () => {
    // What `vite build` writes with `html.cspNonce` (see web/vite.config.ts).
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><html><head><meta property="csp-nonce" nonce="VIGIE_CSP_NONCE"><link rel="stylesheet" href="/assets/a.css" nonce="VIGIE_CSP_NONCE"></head><body><div id="root"></div></body></html>',
    );
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(path.join(dist, 'assets', 'a.css'), 'body{margin:0}');
    registerProblemHandlers(app);
    await registerSecurityHeaders(app, { hsts: true });
    await registerWebApp(app, dist);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('carries the nonce of its own policy, for Mantine’s <style> elements', async () => {
    for (const url of ['/', '/console/incidents/12', '/portal']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      const policy = directives(expectSecurityHeaders(res.headers, url));
      const nonce = /^'nonce-(.+)'$/.exec(policy.get('style-src')![1]!)![1]!;
      expect(res.body, url).not.toContain('VIGIE_CSP_NONCE');
      expect(res.body.match(new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`, 'g')), url).toHaveLength(2);
      expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000');
    }
  });

  it('/index.html is the same page, with its own nonce (never the raw file and its placeholder), and no page is stored', async () => {
    for (const url of ['/', '/index.html', '/console']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      const nonce = /'nonce-([^']+)'/.exec(String(res.headers['content-security-policy']))![1]!;
      expect(res.body, url).not.toContain('VIGIE_CSP_NONCE');
      expect(res.body, url).toContain(`nonce="${nonce}"`);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('static assets and 404s carry the headers too', async () => {
    expectSecurityHeaders((await app.inject({ url: '/assets/a.css' })).headers, 'asset');
    const missing = await app.inject({ url: '/api/nothing' });
    expect(missing.statusCode).toBe(404);
    expectSecurityHeaders(missing.headers, 'api 404');
  });
});

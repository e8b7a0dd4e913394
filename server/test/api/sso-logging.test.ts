import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { ensureFirstAdmin } from '../../src/bootstrap.ts';
import { createDatabase } from '../../src/db/create-db.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { loadSecretKey, SecretBox } from '../../src/lib/secret-box.ts';
import { callback, runToCallback } from '../support/idp-browser.ts';
import { startTestIdp, type TestAccount, type TestIdp } from '../support/test-idp.ts';
import { ADMIN, client, createTestDatabase, DIALECTS, type TestApp } from '../test-app.ts';

// What the logs of single sign-on keep: no e-mail address, authorization code, state or ID token claim.
const CALLBACK = 'http://localhost/api/v1/auth/sso/callback';
const ALICE: TestAccount = { sub: 'alice-log-1', email: 'alice.log@client-log.test', emailVerified: true, name: 'Alice Log', password: 'idp-password-1' };

describe.each(DIALECTS)('single sign-on logs on %s', (dialect) => {
  const lines: string[] = [];
  const logs = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
  let t: TestApp & { dataDir: string };
  let idp: TestIdp;
  let providerId: number;

  beforeAll(async () => {
    t = await startLoggedApp(dialect, { write: (line: string) => void lines.push(line) });
    idp = await startTestIdp({ redirectUris: [CALLBACK], accounts: [ALICE] });
    const admin = client(t.app, t.adminToken);
    const org = await admin.post('/api/v1/organizations', { name: 'Client Log', code: 'CLOG', locale: 'en', timezone: 'UTC', maturityLevel: 2 });
    const provider = await admin.post('/api/v1/identity-providers', {
      name: 'Client Log login', orgId: org.body.id, issuer: idp.issuer, clientId: idp.public.clientId, emailDomains: ['client-log.test'], autoCreate: true,
    });
    expect(provider.status, JSON.stringify(provider.body)).toBe(201);
    providerId = provider.body.id;
  });
  afterAll(async () => {
    await idp?.close();
    await t?.close();
  });

  it('request logs keep the path of the single sign-on routes, not their query strings; other routes are logged whole', async () => {
    lines.length = 0;
    await t.app.inject({ url: `/api/v1/auth/sso/discover?email=${encodeURIComponent(ALICE.email)}` });
    await t.app.inject({ url: `/api/v1/auth/sso/${providerId}/start?email=${encodeURIComponent(ALICE.email)}&returnTo=%2Fportal` });
    await t.app.inject({ url: '/api/v1/auth/sso/callback?code=the-code&state=the-state' });
    await t.app.inject({ url: '/api/v1/incidents?q=printer' });
    const urls = logs().filter((l) => l.msg === 'incoming request').map((l) => l.req.url);
    expect(urls).toEqual(['/api/v1/auth/sso/discover', `/api/v1/auth/sso/${providerId}/start`, '/api/v1/auth/sso/callback', '/api/v1/incidents?q=printer']);
    expect(lines.join('\n')).not.toMatch(/alice\.log|the-code|the-state/);
  });

  it("a refused sign-in logs the identity provider's error code and message, not the ID token's claims it carries", async () => {
    const run = await runToCallback(t.app, idp, providerId, ALICE);
    // An attempt whose nonce is not the ID token's: openid-client refuses it, with the token's claims in its error.
    const box = new SecretBox(loadSecretKey(t.dataDir, undefined));
    const attempt = JSON.parse(box.open(run.attempt!, 'sso.attempt'));
    const tampered = box.seal(JSON.stringify({ ...attempt, nonce: 'not-the-nonce' }), 'sso.attempt');
    lines.length = 0;
    const res = await callback(t.app, run.callbackUrl, tampered);
    expect(res.headers.location).toBe('/?ssoError=idp_error');
    const refused = logs().find((l) => l.msg === 'single sign-on refused');
    expect(refused?.cause).toEqual({ name: 'ClientError', code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED', message: 'unexpected JWT claim value encountered' });
    expect(lines.join('\n')).not.toMatch(/alice\.log|alice-log-1|Alice Log/);
    expect(lines.join('\n')).not.toContain(run.callbackUrl.searchParams.get('code')!);
  });
});

/** A test app whose log lines go to `stream` (JSON, level info), with its data folder (and so its secret key) known. */
async function startLoggedApp(dialect: (typeof DIALECTS)[number], stream: { write(line: string): void }) {
  const target = await createTestDatabase(dialect);
  const database = createDatabase(target.url, { poolSize: 5 });
  await migrateToLatest(database.db);
  await ensureFirstAdmin(database.db, { now: () => new Date() }, { adminEmail: ADMIN.email, adminPassword: ADMIN.password, providerName: 'Test Provider' }, { info() {}, warn() {} } as never);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-data-'));
  const app = await buildApp({ database, logger: pino({ level: 'info' }, stream), dataDir, serveWebApp: false });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN });
  const session = login.cookies.find((c) => c.name === 'vigie_session')!.value;
  const token = await app.inject({ method: 'POST', url: '/api/v1/api-tokens', cookies: { vigie_session: session }, payload: { name: 'tests' } });
  return {
    app,
    database,
    dataDir,
    adminToken: token.json().token as string,
    async close() {
      await app.close();
      await database.close();
      await target.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

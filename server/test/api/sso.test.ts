import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { callback, runToCallback } from '../support/idp-browser.ts';
import { IDP_CLIENT_SECRET, startTestIdp, type TestAccount, type TestIdp } from '../support/test-idp.ts';
import { type Client, DIALECTS, startTestApp, testClock, type TestApp } from '../test-app.ts';

// inject() requests reach the app as http://localhost: the callback URL Vigie derives from them.
const CALLBACK = 'http://localhost/api/v1/auth/sso/callback';
const PW = 'idp-password-1';
const account = (sub: string, email: string, extra: Partial<TestAccount> = {}): TestAccount => ({ sub, email, emailVerified: true, name: `Name of ${sub}`, password: PW, ...extra });
const ACCOUNTS = {
  alice: account('alice-1', 'alice@client-a.test', { name: 'Alice Martin', locale: 'fr-FR' }),
  eve: account('eve-1', 'eve@client-a.test', { emailVerified: false }),
  outsider: account('outsider-1', 'ceo@elsewhere.test'),
  sneaky: account('sneaky-1', 'agent@client-a.test'),
  sam: account('sam-1', 'sam@desk.test'),
  max: account('max-1', 'max@desk.test', { groups: ['staff', 'vigie-managers'] }),
  bob: account('bob-1', 'bob@client-b.test'),
  twin: account('twin-1', 'twin@client-a.test'),
  pair: account('pair-1', 'pair@client-a.test'),
};

describe.each(DIALECTS)('single sign-on on %s', (dialect) => {
  let t: TestApp;
  let idp: TestIdp;
  let admin: Client;
  let f: ReturnType<typeof factories>;
  const clock = testClock(new Date().toISOString());
  let orgA: { id: number };
  let orgB: { id: number };
  let providerOrgId: number;
  let forA: { id: number };
  let forStaff: { id: number };

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    idp = await startTestIdp({ redirectUris: [CALLBACK], accounts: Object.values(ACCOUNTS) });
    f = factories(t);
    admin = f.admin;
    orgA = await f.organization();
    orgB = await f.organization();
    providerOrgId = (await admin.get('/api/v1/me')).body.orgId;
    forA = await create({
      name: 'Client A login', orgId: orgA.id, issuer: idp.issuer, clientId: idp.confidential.clientId, clientSecret: IDP_CLIENT_SECRET,
      emailDomains: ['Client-A.test'], autoCreate: true, linkByEmail: true,
    });
    forStaff = await create({
      name: 'Staff login', orgId: providerOrgId, issuer: idp.issuer, clientId: idp.public.clientId, scopes: 'openid email profile groups', emailDomains: ['desk.test'], showButton: false,
      autoCreate: true, linkByEmail: true, roleClaim: 'groups', roleMappings: [{ value: 'vigie-managers', role: 'manager' }],
    });
  });
  afterAll(async () => {
    await idp?.close();
    await t?.close();
  });

  async function create(body: Record<string, unknown>) {
    const res = await admin.post('/api/v1/identity-providers', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number };
  }

  /** The whole journey; returns the callback's answer. */
  async function signIn(providerId: number, who: TestAccount, returnTo = '/') {
    const run = await runToCallback(t.app, idp, providerId, { email: who.email, password: who.password }, returnTo);
    return callback(t.app, run.callbackUrl, run.attempt);
  }

  async function meOf(res: Awaited<ReturnType<typeof signIn>>) {
    const session = res.cookies.find((c) => c.name === 'vigie_session');
    expect(session, `no session; went to ${String(res.headers.location)}`).toBeDefined();
    const me = await t.app.inject({ url: '/api/v1/me', cookies: { vigie_session: session!.value } });
    expect(me.statusCode).toBe(200);
    return me.json();
  }

  function expectRefused(res: Awaited<ReturnType<typeof signIn>>, code: string) {
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/?ssoError=${code}`);
    expect(res.cookies.find((c) => c.name === 'vigie_session')).toBeUndefined();
  }

  it('starts with the authorization code flow, PKCE S256, state and nonce, the attempt in an HttpOnly cookie of the callback path', async () => {
    const start = await t.app.inject({ url: `/api/v1/auth/sso/${forA.id}/start?returnTo=%2Fportal` });
    expect(start.statusCode).toBe(302);
    const url = new URL(String(start.headers.location));
    expect(url.origin).toBe(idp.issuer);
    const p = url.searchParams;
    expect([p.get('response_type'), p.get('client_id'), p.get('redirect_uri'), p.get('code_challenge_method')]).toEqual(['code', 'vigie-confidential', CALLBACK, 'S256']);
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(p.get('state')).toBeTruthy();
    expect(p.get('nonce')).toBeTruthy();
    const cookie = start.cookies.find((c) => c.name === 'vigie_sso')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/sso/callback', maxAge: 600 });
    // Sealed: neither the state nor the verifier can be read from it.
    expect(cookie.value).not.toContain(p.get('state'));
  });

  it('a first sign-in creates the requester of the organization (with a contact there), and the next ones find them by the link', async () => {
    const first = await signIn(forA.id, ACCOUNTS.alice, '/portal?tab=mine');
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe('/portal?tab=mine');
    const me = await meOf(first);
    expect(me).toMatchObject({ email: 'alice@client-a.test', name: 'Alice Martin', role: 'requester', orgId: orgA.id, locale: 'fr' });
    expect(me.personId).not.toBeNull();
    expect((await admin.get(`/api/v1/people/${me.personId}`)).body).toMatchObject({ orgId: orgA.id, email: 'alice@client-a.test' });
    const events = await t.database.db.selectFrom('events').selectAll().where('type', '=', 'user.created').where('aggregate_id', '=', me.id).execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.org_id).toBe(orgA.id);

    const again = await meOf(await signIn(forA.id, ACCOUNTS.alice));
    expect(again.id).toBe(me.id);
    const links = await t.database.db.selectFrom('user_identities').selectAll().where('user_id', '=', me.id).execute();
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ issuer: idp.issuer, subject: 'alice-1', provider_id: forA.id });
  });

  it('links an existing user by verified e-mail, and maps a claim to a role for staff it creates', async () => {
    const sam = await f.user('agent', { email: 'sam@desk.test', name: 'Sam Taylor' });
    const me = await meOf(await signIn(forStaff.id, ACCOUNTS.sam, '/console'));
    expect(me.id).toBe(sam.id);
    expect(me.role).toBe('agent');

    const max = await meOf(await signIn(forStaff.id, ACCOUNTS.max));
    expect(max).toMatchObject({ email: 'max@desk.test', role: 'manager', orgId: providerOrgId, personId: null });
  });

  it('refuses a subject without a link when no rule allows linking or creating, and an unverified e-mail', async () => {
    const strict = await create({ name: 'Client B login', orgId: orgB.id, issuer: idp.issuer, clientId: idp.public.clientId, emailDomains: ['client-b.test'] });
    await f.user('requester', { email: 'bob@client-b.test', orgId: orgB.id });
    expectRefused(await signIn(strict.id, ACCOUNTS.bob), 'unknown_user');
    expectRefused(await signIn(forA.id, ACCOUNTS.eve), 'unknown_user');
    expect((await admin.get('/api/v1/users?q=eve@client-a.test')).body.items).toEqual([]);
  });

  it("a client's identity provider signs in only its own requesters: not staff, not other domains", async () => {
    await f.user('agent', { email: 'agent@client-a.test' });
    expectRefused(await signIn(forA.id, ACCOUNTS.sneaky), 'not_allowed');
    expectRefused(await signIn(forA.id, ACCOUNTS.outsider), 'not_allowed');
    expect((await admin.get('/api/v1/users?q=elsewhere.test')).body.items).toEqual([]);
  });

  it('refuses a deactivated user', async () => {
    const user = await f.user('requester', { email: 'gone@gone.test', orgId: orgA.id });
    await admin.patch(`/api/v1/users/${user.id}`, { active: false });
    const gone = account('gone-1', 'gone@gone.test');
    const idp2 = await startTestIdp({ redirectUris: [CALLBACK], accounts: [gone] });
    try {
      // The e-mail matches a requester of A, but the account is deactivated.
      const p = await create({ name: 'Other IdP', orgId: orgA.id, issuer: idp2.issuer, clientId: idp2.public.clientId, emailDomains: ['gone.test'], linkByEmail: true, showButton: false });
      const run = await runToCallback(t.app, idp2, p.id, { email: gone.email, password: PW });
      expectRefused(await callback(t.app, run.callbackUrl, run.attempt), 'not_allowed');
    } finally {
      await idp2.close();
    }
  });

  it("a client's identity provider without domains links and creates nobody, not even configured before domains were required", async () => {
    const squatter = account('squatter-1', 'boss@desk.test');
    const idp2 = await startTestIdp({ redirectUris: [CALLBACK], accounts: [squatter] });
    try {
      const p = await create({ name: 'No domains', orgId: orgB.id, issuer: idp2.issuer, clientId: idp2.public.clientId, showButton: false });
      // As a provider saved before the rule: creating and linking on, no domains.
      await t.database.db.updateTable('identity_providers').set({ auto_create: 1, link_by_email: 1 }).where('id', '=', p.id).execute();
      const run = await runToCallback(t.app, idp2, p.id, { email: squatter.email, password: PW });
      expectRefused(await callback(t.app, run.callbackUrl, run.attempt), 'not_allowed');
      expect(await t.database.db.selectFrom('users').select('id').where('email', '=', squatter.email).executeTakeFirst()).toBeUndefined();
    } finally {
      await idp2.close();
    }
  });

  it("never links or creates an address of another active provider's domains, even through the provider organization's own", async () => {
    const intruder = account('intruder-1', 'carol@client-a.test');
    const idp2 = await startTestIdp({ redirectUris: [CALLBACK], accounts: [intruder] });
    try {
      const p = await create({ name: 'Staff, no domains', orgId: providerOrgId, issuer: idp2.issuer, clientId: idp2.public.clientId, showButton: false, autoCreate: true, linkByEmail: true });
      const run = await runToCallback(t.app, idp2, p.id, { email: intruder.email, password: PW });
      expectRefused(await callback(t.app, run.callbackUrl, run.attempt), 'not_allowed');
      expect(await t.database.db.selectFrom('users').select('id').where('email', '=', intruder.email).executeTakeFirst()).toBeUndefined();
    } finally {
      await idp2.close();
    }
  });

  it.each([
    ['create', 'twin'],
    ['link', 'pair'],
  ] as const)('two first sign-ins at once (double submit, two tabs), both to %s the user, end as one user signed in twice', async (_, who) => {
    if (who === 'pair') await f.user('requester', { email: ACCOUNTS.pair.email, orgId: orgA.id });
    const runs = [await runToCallback(t.app, idp, forA.id, ACCOUNTS[who]), await runToCallback(t.app, idp, forA.id, ACCOUNTS[who])];
    const both = () => Promise.all(runs.map((run) => callback(t.app, run.callbackUrl, run.attempt)));
    // PostgreSQL: both lookups done, both inserts held until each waits, so that they meet on the unique constraint.
    const answers = dialect === 'postgres' ? await whileInsertsWait(2, both) : await both();
    const ids = await Promise.all(answers.map(async (res) => (await meOf(res)).id));
    expect(ids[0]).toBe(ids[1]);
    expect(await t.database.db.selectFrom('users').select('id').where('email', '=', ACCOUNTS[who].email).execute()).toHaveLength(1);
    expect(await t.database.db.selectFrom('user_identities').select('id').where('subject', '=', ACCOUNTS[who].sub).execute()).toHaveLength(1);
  });

  /** Runs `run` while inserts into users and user_identities wait, until `count` of them wait (PostgreSQL only). */
  async function whileInsertsWait<T>(count: number, run: () => Promise<T>): Promise<T> {
    return t.database.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      // SHARE: reads go on, inserts wait.
      await sql`lock table users, user_identities in share mode`.execute(conn);
      const pending = run();
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted and relation in ('users'::regclass, 'user_identities'::regclass)`.execute(conn);
        if (rows[0]!.n >= count) break;
        if (Date.now() > deadline) throw new Error(`${rows[0]!.n} of ${count} inserts waited`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await sql`commit`.execute(conn);
      return pending;
    });
  }

  it('refuses a callback whose state is not the one of this browser, or without the attempt cookie', async () => {
    const run = await runToCallback(t.app, idp, forA.id, ACCOUNTS.alice);
    const forged = new URL(run.callbackUrl);
    forged.searchParams.set('state', 'forged-state');
    expectRefused(await callback(t.app, forged, run.attempt), 'expired');
    expectRefused(await callback(t.app, run.callbackUrl, undefined), 'expired');
    // Login CSRF: an attacker's code and state replayed in a victim's browser, which has an attempt of its own.
    const victim = await t.app.inject({ url: `/api/v1/auth/sso/${forA.id}/start` });
    const victimAttempt = victim.cookies.find((c) => c.name === 'vigie_sso')!.value;
    expectRefused(await callback(t.app, run.callbackUrl, victimAttempt), 'expired');
    // A tampered cookie is no attempt either.
    expectRefused(await callback(t.app, run.callbackUrl, `${run.attempt!.slice(0, -4)}AAAA`), 'expired');
  });

  it('refuses an attempt older than ten minutes', async () => {
    const run = await runToCallback(t.app, idp, forA.id, ACCOUNTS.alice);
    clock.advance(11 * 60_000);
    try {
      expectRefused(await callback(t.app, run.callbackUrl, run.attempt), 'expired');
    } finally {
      clock.advance(-11 * 60_000);
    }
  });

  it('says "idp_error" when the identity provider answers with an error', async () => {
    const start = await t.app.inject({ url: `/api/v1/auth/sso/${forA.id}/start` });
    const state = new URL(String(start.headers.location)).searchParams.get('state')!;
    const url = new URL(`${CALLBACK}?error=access_denied&state=${state}`);
    expectRefused(await callback(t.app, url, start.cookies.find((c) => c.name === 'vigie_sso')!.value), 'idp_error');
  });

  it.each(['https://evil.test/', '//evil.test/x', '/\\evil.test', 'javascript:alert(1)', '/\tpath', '/.//evil.test', '/..//evil.test', '/a/..//evil.test', '/%2e//evil.test', '/%2F/evil.test'])('never redirects out of Vigie: returnTo %j is refused', async (returnTo) => {
    const res = await t.app.inject({ url: `/api/v1/auth/sso/${forA.id}/start?returnTo=${encodeURIComponent(returnTo)}` });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ path: 'returnTo', message: 'Must be a path of this site, such as /console' }]);
  });

  it('stores the client secret sealed, never returns it, and records only that it changed', async () => {
    const all = JSON.stringify([(await admin.get('/api/v1/identity-providers')).body, (await admin.get(`/api/v1/identity-providers/${forA.id}`)).body]);
    expect(all).not.toContain(IDP_CLIENT_SECRET);
    expect((await admin.get(`/api/v1/identity-providers/${forA.id}`)).body).toMatchObject({ hasClientSecret: true, emailDomains: ['client-a.test'], callbackUrl: CALLBACK });
    const row = await t.database.db.selectFrom('identity_providers').selectAll().where('id', '=', forA.id).executeTakeFirstOrThrow();
    expect(row.client_secret).toMatch(/^v2\./);
    expect(row.client_secret).not.toContain(IDP_CLIENT_SECRET);

    const patched = await admin.patch(`/api/v1/identity-providers/${forA.id}`, { clientSecret: 'a-new-secret-value', name: 'Client A' });
    expect(patched.status).toBe(200);
    expect(JSON.stringify(patched.body)).not.toContain('a-new-secret-value');
    const events = await t.database.db.selectFrom('events').selectAll().where('aggregate_type', '=', 'identity_provider').where('aggregate_id', '=', forA.id).orderBy('id').execute();
    expect(events.map((e) => e.type)).toEqual(['identity_provider.created', 'identity_provider.updated']);
    expect(events.map((e) => e.payload).join()).not.toMatch(/a-new-secret-value|idp-client-secret/);
    expect(JSON.parse(events[1]!.payload).changes).toEqual([
      { field: 'name', from: 'Client A login', to: 'Client A' },
      { field: 'clientSecret', from: 'changed', to: 'changed' },
    ]);
    // The new secret is the one used: the identity provider now refuses the client.
    expectRefused(await signIn(forA.id, ACCOUNTS.alice), 'idp_error');
    await admin.patch(`/api/v1/identity-providers/${forA.id}`, { clientSecret: IDP_CLIENT_SECRET });
    expect((await meOf(await signIn(forA.id, ACCOUNTS.alice))).email).toBe('alice@client-a.test');
  });

  it('discovers providers by e-mail domain and lists button providers: ids and names only', async () => {
    expect((await t.app.inject({ url: '/api/v1/auth/sso/discover?email=Someone@CLIENT-A.test' })).json()).toEqual({ items: [{ id: forA.id, name: 'Client A' }] });
    expect((await t.app.inject({ url: '/api/v1/auth/sso/discover?email=x@nowhere.test' })).json()).toEqual({ items: [] });
    expect((await t.app.inject({ url: '/api/v1/auth/sso/discover?email=not-an-email' })).json()).toEqual({ items: [] });
    const buttons = (await t.app.inject({ url: '/api/v1/auth/sso/providers' })).json().items as { id: number }[];
    expect(buttons.map((b) => b.id)).toContain(forA.id);
    expect(buttons.map((b) => b.id)).not.toContain(forStaff.id);
    expect(Object.keys(buttons[0]!).sort()).toEqual(['id', 'name']);
  });

  it('validates in words: roles per kind of organization, https issuers, domains unique across active providers (409)', async () => {
    const base = { name: 'X', issuer: idp.issuer, clientId: 'c' };
    const errorsOf = async (body: Record<string, unknown>) => {
      const res = await admin.post('/api/v1/identity-providers', { ...base, ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      return res.body.errors;
    };
    expect(await errorsOf({ orgId: providerOrgId, defaultRole: 'admin' })).toEqual([{ path: 'defaultRole', message: 'Agent or manager for staff' }]);
    expect(await errorsOf({ orgId: orgA.id, defaultRole: 'agent' })).toEqual([{ path: 'defaultRole', message: 'Only requester for a client organization' }]);
    expect(await errorsOf({ orgId: orgA.id, roleClaim: 'groups', roleMappings: [{ value: 'x', role: 'manager' }] })).toEqual([
      { path: 'roleMappings.0.role', message: 'Only requester for a client organization' },
    ]);
    expect(await errorsOf({ orgId: orgA.id, issuer: 'http://idp.example.com' })).toEqual([{ path: 'issuer', message: 'Must use https (http only on this machine: localhost or 127.0.0.1)' }]);
    expect(await errorsOf({ orgId: orgA.id, scopes: 'email profile' })).toEqual([{ path: 'scopes', message: 'Must include openid' }]);
    expect(await errorsOf({ orgId: orgA.id, emailDomains: ['not a domain'] })).toEqual([{ path: 'emailDomains.0', message: 'A domain such as example.com' }]);
    expect(await errorsOf({ orgId: 987_654 })).toEqual([{ path: 'orgId', message: 'Unknown organization' }]);
    const domainsNeeded = [{ path: 'emailDomains', message: 'At least one domain for a client organization whose users are created or linked by e-mail' }];
    expect(await errorsOf({ orgId: orgB.id, autoCreate: true })).toEqual(domainsNeeded);
    expect(await errorsOf({ orgId: orgB.id, linkByEmail: true })).toEqual(domainsNeeded);
    const cleared = await admin.patch(`/api/v1/identity-providers/${forA.id}`, { emailDomains: [] });
    expect(cleared.status).toBe(422);
    expect(cleared.body.errors).toEqual(domainsNeeded);

    const clash = await admin.post('/api/v1/identity-providers', { ...base, orgId: orgB.id, emailDomains: ['client-a.test'] });
    expect(clash.status).toBe(409);
    expect(clash.body.detail).toMatch(/client-a\.test already belongs to the identity provider "Client A"/);
    const other = await create({ ...base, orgId: orgB.id, emailDomains: ['other.test'] });
    expect((await admin.patch(`/api/v1/identity-providers/${other.id}`, { emailDomains: ['desk.test'] })).status).toBe(409);
  });

  it('deactivates a provider (never deleted): it no longer offers itself or signs anyone in', async () => {
    const p = await create({ name: 'Temporary', orgId: orgB.id, issuer: idp.issuer, clientId: idp.public.clientId, emailDomains: ['temp.test'] });
    const run = await runToCallback(t.app, idp, p.id, ACCOUNTS.bob);
    expect((await admin.patch(`/api/v1/identity-providers/${p.id}`, { active: false })).body.active).toBe(false);
    expect((await t.app.inject({ url: '/api/v1/auth/sso/discover?email=a@temp.test' })).json().items).toEqual([]);
    expect((await t.app.inject({ url: `/api/v1/auth/sso/${p.id}/start` })).statusCode).toBe(404);
    expectRefused(await callback(t.app, run.callbackUrl, run.attempt), 'not_allowed');
    expect((await admin.get(`/api/v1/identity-providers?active=false`)).body.items.map((x: { id: number }) => x.id)).toContain(p.id);
    // Its domain is free again for an active provider.
    await create({ name: 'Successor', orgId: orgB.id, issuer: idp.issuer, clientId: idp.public.clientId, emailDomains: ['temp.test'] });
  });
});

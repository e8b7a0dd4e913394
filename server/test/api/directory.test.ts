import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { type Client, DIALECTS, type Reply, startTestApp, type TestApp } from '../test-app.ts';

let seq = 0;
const n = () => `${process.pid}x${++seq}`;

type Table = 'organizations' | 'people' | 'users' | 'teams' | 'services';
interface Resource {
  path: Table;
  /** A valid creation body; `orgId` is a client organization of the suite. */
  body(orgId: number): Record<string, unknown>;
  /** A field the test renames, and the other fields that must not move on PATCH. */
  untouched: string[];
}

/** The directory resources share one shape: create, read, update, list by cursor, deactivate (never delete). */
const RESOURCES: Resource[] = [
  { path: 'organizations', body: () => ({ name: `Org ${n()}`, code: `C${n()}`, locale: 'fr', timezone: 'Europe/Paris', maturityLevel: 3 }), untouched: ['code', 'locale', 'timezone', 'maturityLevel'] },
  { path: 'people', body: (orgId) => ({ orgId, name: `Person ${n()}`, email: `p${n()}@example.test`, phone: '+33 1 23 45 67 89', locale: 'fr' }), untouched: ['orgId', 'email', 'phone', 'locale'] },
  { path: 'users', body: (orgId) => ({ email: `u${n()}@example.test`, name: `User ${n()}`, role: 'agent', orgScope: [orgId], portalScope: 'organization', locale: 'en' }), untouched: ['email', 'role', 'orgScope', 'portalScope', 'locale'] },
  { path: 'teams', body: () => ({ name: `Team ${n()}`, description: 'Level 1' }), untouched: ['description', 'memberIds'] },
  { path: 'services', body: () => ({ name: `Service ${n()}`, description: 'E-mail' }), untouched: ['description'] },
];

describe.each(DIALECTS)('directory on %s', (dialect) => {
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: Client;
  let org: { id: number };

  beforeAll(async () => {
    t = await startTestApp(dialect);
    f = factories(t);
    admin = f.admin;
    org = await f.organization();
  });
  afterAll(() => t?.close());

  describe.each(RESOURCES)('/$path', (r) => {
    const url = `/api/v1/${r.path}`;

    it('creates, reads and updates, leaving the other fields as they are', async () => {
      const created = await admin.post(url, r.body(org.id));
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({ id: expect.any(Number), active: true, createdAt: expect.any(String), updatedAt: expect.any(String) });
      expect(new Date(created.body.createdAt).toISOString()).toBe(created.body.createdAt);
      const read = await admin.get(`${url}/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);

      const updated = await admin.patch(`${url}/${created.body.id}`, { name: `Renamed ${n()}` });
      expect(updated.status, JSON.stringify(updated.body)).toBe(200);
      expect(updated.body.name).toMatch(/^Renamed/);
      for (const field of r.untouched) expect(updated.body[field], field).toEqual(created.body[field]);
      expect((await admin.get(`${url}/${created.body.id}`)).body).toEqual(updated.body);
    });

    it('lists by keyset cursor, every record once', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await admin.post(url, r.body(org.id))).body.id);
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Reply = await admin.get(`${url}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((x: { id: number }) => x.id));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(cursor).toBeNull();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(ids));
      const all = await admin.get(`${url}?limit=200`);
      expect(all.body.items.map((x: { id: number }) => x.id)).toEqual(seen);
    });

    it('deactivates by PATCH active:false or DELETE, and never deletes', async () => {
      const a = (await admin.post(url, r.body(org.id))).body;
      const b = (await admin.post(url, r.body(org.id))).body;
      const patched = await admin.patch(`${url}/${a.id}`, { active: false });
      expect(patched.status).toBe(200);
      expect(patched.body.active).toBe(false);
      const deleted = await admin.delete(`${url}/${b.id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body.active).toBe(false);
      expect(deleted.body.name).toBe(b.name);
      for (const id of [a.id, b.id]) {
        const read = await admin.get(`${url}/${id}`);
        expect(read.status).toBe(200);
        expect(read.body.active).toBe(false);
        const row = await t.database.db.selectFrom(r.path).select(['id', 'active']).where('id', '=', id).executeTakeFirst();
        expect(row).toEqual({ id, active: 0 });
      }
      const inactive = (await admin.get(`${url}?active=false&limit=200`)).body.items.map((x: { id: number }) => x.id);
      expect(inactive).toEqual(expect.arrayContaining([a.id, b.id]));
      const active = (await admin.get(`${url}?active=true&limit=200`)).body.items.map((x: { id: number }) => x.id);
      expect(active).not.toContain(a.id);
      expect((await admin.patch(`${url}/${a.id}`, { active: true })).body.active).toBe(true);
    });

    it('answers 404 problem+json for an unknown id, 400 for a bad one', async () => {
      const missing = await admin.get(`${url}/999999`);
      expectProblem(missing, 404);
      expectProblem(await admin.patch(`${url}/999999`, { name: 'x' }), 404);
      expectProblem(await admin.delete(`${url}/999999`), 404);
      const bad = await admin.get(`${url}/abc`);
      expectProblem(bad, 400);
      expect(bad.body.errors[0].path).toBe('id');
    });

    it('validates list parameters: limit at most 200, an opaque cursor', async () => {
      expectProblem(await admin.get(`${url}?limit=201`), 400);
      expectProblem(await admin.get(`${url}?limit=0`), 400);
      const badCursor = await admin.get(`${url}?cursor=not-a-cursor`);
      expect([400, 422]).toContain(badCursor.status);
      expect(badCursor.body.errors[0].path).toBe('cursor');
    });

    it('rejects a missing or empty name with a field error', async () => {
      const { name: _, ...withoutName } = r.body(org.id);
      const res = await admin.post(url, withoutName);
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('name');
      const empty = await admin.post(url, { ...r.body(org.id), name: '   ' });
      expectProblem(empty, 400);
      expect(empty.body.errors.map((e: { path: string }) => e.path)).toContain('name');
    });
  });

  describe('organizations', () => {
    it('uppercases the code and applies the defaults', async () => {
      const res = await admin.post('/api/v1/organizations', { name: 'Acme', code: `acme-${n()}` });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ code: expect.stringMatching(/^ACME-/), locale: 'en', timezone: 'UTC', maturityLevel: 1, isProvider: false, priorityMatrix: null });
    });

    it.each([
      ['timezone', { timezone: 'Mars/Olympus_Mons' }],
      ['maturityLevel', { maturityLevel: 5 }],
      ['locale', { locale: 'de' }],
      ['code', { code: 'has spaces' }],
      ['priorityMatrix', { priorityMatrix: [[1, 2, 3]] }],
    ])('rejects an invalid %s with errors[].path', async (path, fields) => {
      const res = await admin.post('/api/v1/organizations', { name: 'Bad', code: `B${n()}`, ...fields });
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { path: string }) => e.path.split('.')[0])).toContain(path);
      const update = await admin.patch(`/api/v1/organizations/${org.id}`, fields);
      expectProblem(update, 400);
    });

    it('a duplicate code is a 409 conflict, whatever its case, on create and on update', async () => {
      const code = `DUP${n()}`;
      const first = await admin.post('/api/v1/organizations', { name: 'First', code });
      expect(first.status).toBe(201);
      const dup = await admin.post('/api/v1/organizations', { name: 'Second', code: code.toLowerCase() });
      expectProblem(dup, 409);
      expect(dup.body.errors).toEqual([{ path: 'code', message: expect.any(String) }]);
      const other = (await admin.post('/api/v1/organizations', { name: 'Other', code: `O${n()}` })).body;
      expectProblem(await admin.patch(`/api/v1/organizations/${other.id}`, { code }), 409);
      // Keeping one's own code is not a conflict.
      expect((await admin.patch(`/api/v1/organizations/${first.body.id}`, { code, name: 'First again' })).status).toBe(200);
    });

    it('only admins create and edit organizations; the provider stays active', async () => {
      for (const role of ['agent', 'manager'] as const) {
        const u = await f.user(role);
        expectProblem(await u.as.post('/api/v1/organizations', { name: 'Nope', code: `N${n()}` }), 403);
        expectProblem(await u.as.patch(`/api/v1/organizations/${org.id}`, { name: 'Nope' }), 403);
        expectProblem(await u.as.delete(`/api/v1/organizations/${org.id}`), 403);
        expect((await u.as.get(`/api/v1/organizations/${org.id}`)).status).toBe(200);
      }
      const provider = (await admin.get('/api/v1/organizations?limit=200')).body.items.find((o: { isProvider: boolean }) => o.isProvider);
      expectProblem(await admin.delete(`/api/v1/organizations/${provider.id}`), 409);
      expectProblem(await admin.patch(`/api/v1/organizations/${provider.id}`, { active: false }), 409);
    });

    it('accepts a custom priority matrix and filters by q', async () => {
      const matrix = [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 4]];
      const code = `MTX${n()}`;
      const res = await admin.post('/api/v1/organizations', { name: 'Matrix Corp', code, priorityMatrix: matrix });
      expect(res.body.priorityMatrix).toEqual(matrix);
      // Case-insensitive on every dialect.
      for (const q of [code, code.toLowerCase(), 'matrix corp', 'MATRIX']) {
        const found = await admin.get(`/api/v1/organizations?q=${encodeURIComponent(q)}`);
        expect(found.body.items.map((o: { id: number }) => o.id), q).toEqual([res.body.id]);
      }
    });
  });

  describe('people', () => {
    it('staff add contacts to an organization they serve; requesters cannot list the directory', async () => {
      const agent = await f.user('agent', { orgScope: [org.id] });
      const res = await agent.as.post('/api/v1/people', { orgId: org.id, name: 'Camille Durand', email: 'Camille.Durand@Example.test' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ orgId: org.id, email: 'camille.durand@example.test', phone: null, locale: null });
      const requester = await f.user('requester', { orgId: org.id });
      expectProblem(await requester.as.get('/api/v1/people'), 403);
      expectProblem(await requester.as.post('/api/v1/people', { orgId: org.id, name: 'X' }), 403);
      expectProblem(await requester.as.patch(`/api/v1/people/${requester.personId}`, { name: 'X' }), 403);
      // A requester reads their own contact record.
      expect((await requester.as.get(`/api/v1/people/${requester.personId}`)).status).toBe(200);
    });

    it('validates the e-mail and refuses a deactivated organization', async () => {
      const bad = await admin.post('/api/v1/people', { orgId: org.id, name: 'Bad', email: 'not-an-email' });
      expectProblem(bad, 400);
      expect(bad.body.errors[0].path).toBe('email');
      const closed = await f.organization();
      await admin.delete(`/api/v1/organizations/${closed.id}`);
      const res = await admin.post('/api/v1/people', { orgId: closed.id, name: 'Late' });
      expectProblem(res, 422);
      expect(res.body.errors[0].path).toBe('orgId');
      const unknown = await admin.post('/api/v1/people', { orgId: 999999, name: 'Nobody' });
      expect([404, 422]).toContain(unknown.status);
    });

    it('filters by organization and by q over name, e-mail and phone', async () => {
      const other = await f.organization();
      const p = (await admin.post('/api/v1/people', { orgId: other.id, name: 'Zoé Quintal', email: `zq${n()}@example.test`, phone: '+33 6 11 22 33 44' })).body;
      await f.person(other.id);
      const byOrg = (await admin.get(`/api/v1/people?orgId=${other.id}`)).body.items;
      expect(byOrg).toHaveLength(2);
      for (const q of ['quintal', 'zq', '11 22']) {
        const found = (await admin.get(`/api/v1/people?q=${encodeURIComponent(q)}`)).body.items.map((x: { id: number }) => x.id);
        expect(found, q).toEqual([p.id]);
      }
    });
  });

  describe('users', () => {
    it('never returns the password, and creates a contact for a new requester', async () => {
      const email = `req${n()}@example.test`;
      const res = await admin.post('/api/v1/users', { email, name: 'Léa Martin', role: 'requester', orgId: org.id, password: 'a-long-password-1', locale: 'fr' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email, role: 'requester', orgId: org.id, orgScope: [], portalScope: 'own', personId: expect.any(Number) });
      const listed = (await admin.get(`/api/v1/users?q=${email}`)).body;
      for (const body of [res.body, (await admin.get(`/api/v1/users/${res.body.id}`)).body, listed, (await admin.patch(`/api/v1/users/${res.body.id}`, { password: 'another-password-2' })).body]) {
        expect(JSON.stringify(body)).not.toMatch(/password|argon/i);
      }
      const person = await admin.get(`/api/v1/people/${res.body.personId}`);
      expect(person.body).toMatchObject({ orgId: org.id, name: 'Léa Martin', email, locale: 'fr', active: true });
    });

    it('links a requester to an existing contact of their organization', async () => {
      const person = await f.person(org.id);
      const res = await admin.post('/api/v1/users', { email: `link${n()}@example.test`, name: 'Linked', role: 'requester', orgId: org.id, personId: person.id });
      expect(res.body.personId).toBe(person.id);
      const elsewhere = await f.person((await f.organization()).id);
      const wrong = await admin.post('/api/v1/users', { email: `link${n()}@example.test`, name: 'Linked', role: 'requester', orgId: org.id, personId: elsewhere.id });
      expectProblem(wrong, 422);
      expect(wrong.body.errors[0].path).toBe('personId');
    });

    it.each([
      ['orgId', 422, { role: 'requester' }],
      ['orgId', 422, { role: 'requester', orgId: 999999 }],
      ['orgScope.0', 422, { role: 'agent', orgScope: [999999] }],
      ['email', 400, { role: 'agent', email: 'nope' }],
      ['role', 400, { role: 'superuser' }],
      ['password', 400, { role: 'agent', password: 'short' }],
    ])('rejects a bad %s (%i)', async (path, status, fields) => {
      const res = await admin.post('/api/v1/users', { email: `bad${n()}@example.test`, name: 'Bad', ...fields });
      expectProblem(res, status);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    });

    it('a duplicate e-mail is a 409 conflict, whatever its case', async () => {
      const email = `dup${n()}@example.test`;
      expect((await admin.post('/api/v1/users', { email, name: 'One', role: 'agent' })).status).toBe(201);
      const dup = await admin.post('/api/v1/users', { email: email.toUpperCase(), name: 'Two', role: 'agent' });
      expectProblem(dup, 409);
      expect(dup.body.errors[0].path).toBe('email');
      const other = await f.user('agent');
      expectProblem(await admin.patch(`/api/v1/users/${other.id}`, { email }), 409);
    });

    it('a user changes their own name and language, but not their role or scope, nor their password here', async () => {
      const agent = await f.user('agent', { orgScope: [org.id] });
      const renamed = await agent.as.patch(`/api/v1/users/${agent.id}`, { name: 'New Name', locale: 'fr' });
      expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
      // Their password changes with the current one, at POST /me/password (account.test.ts).
      expectProblem(await agent.as.patch(`/api/v1/users/${agent.id}`, { password: 'my-new-password-9' }), 403);
      expect(renamed.body).toMatchObject({ name: 'New Name', locale: 'fr', role: 'agent', orgScope: [org.id] });
      expectProblem(await agent.as.patch(`/api/v1/users/${agent.id}`, { role: 'admin' }), 403);
      expectProblem(await agent.as.patch(`/api/v1/users/${agent.id}`, { orgScope: [] }), 403);
      expectProblem(await agent.as.patch(`/api/v1/users/${agent.id}`, { active: false }), 403);
      const colleague = await f.user('agent');
      expectProblem(await agent.as.patch(`/api/v1/users/${colleague.id}`, { name: 'Hijacked' }), 403);
      expect((await admin.get(`/api/v1/users/${agent.id}`)).body).toMatchObject({ role: 'agent', orgScope: [org.id], active: true });

      const requester = await f.user('requester', { orgId: org.id });
      expect((await requester.as.patch(`/api/v1/users/${requester.id}`, { name: 'Portal Name' })).body.name).toBe('Portal Name');
      expectProblem(await requester.as.patch(`/api/v1/users/${requester.id}`, { portalScope: 'organization' }), 403);
    });

    it('an admin edits roles and scopes, but cannot lock themselves out', async () => {
      const u = await f.user('agent', { orgScope: [org.id] });
      const promoted = await admin.patch(`/api/v1/users/${u.id}`, { role: 'manager' });
      expect(promoted.body).toMatchObject({ role: 'manager', orgScope: [org.id] });
      const me = (await admin.get('/api/v1/me')).body;
      expectProblem(await admin.patch(`/api/v1/users/${me.id}`, { role: 'agent' }), 409);
      expectProblem(await admin.delete(`/api/v1/users/${me.id}`), 409);
      expect((await admin.patch(`/api/v1/users/${me.id}`, { name: 'Chief' })).status).toBe(200);
    });

    it('only admins create users; staff list them, requesters only see themselves', async () => {
      const manager = await f.user('manager');
      expectProblem(await manager.as.post('/api/v1/users', { email: `m${n()}@example.test`, name: 'X', role: 'agent' }), 403);
      expect((await manager.as.get('/api/v1/users')).status).toBe(200);
      const requester = await f.user('requester', { orgId: org.id });
      expectProblem(await requester.as.get('/api/v1/users'), 403);
      expect((await requester.as.get(`/api/v1/users/${requester.id}`)).status).toBe(200);
      expectProblem(await requester.as.get(`/api/v1/users/${manager.id}`), 404);
    });

    it('filters by role and organization', async () => {
      const other = await f.organization();
      const r1 = await f.user('requester', { orgId: other.id });
      const r2 = await f.user('requester', { orgId: other.id });
      const ids = (await admin.get(`/api/v1/users?role=requester&orgId=${other.id}`)).body.items.map((u: { id: number }) => u.id);
      expect(ids).toEqual([r1.id, r2.id]);
      const agents = (await admin.get('/api/v1/users?role=agent&limit=200')).body.items;
      expect(agents.every((u: { role: string }) => u.role === 'agent')).toBe(true);
    });
  });

  describe('teams', () => {
    it('managers create teams of staff and replace their members; agents only read', async () => {
      const manager = await f.user('manager');
      const a1 = await f.user('agent');
      const a2 = await f.user('agent');
      const created = await manager.as.post('/api/v1/teams', { name: `Desk ${n()}`, memberIds: [a1.id, a1.id, a2.id] });
      expect(created.status).toBe(201);
      expect(created.body.memberIds).toEqual([a1.id, a2.id].sort((x, y) => x - y));
      const renamed = await manager.as.patch(`/api/v1/teams/${created.body.id}`, { name: 'Renamed desk' });
      expect(renamed.body.memberIds).toEqual(created.body.memberIds);
      const replaced = await manager.as.patch(`/api/v1/teams/${created.body.id}`, { memberIds: [a2.id] });
      expect(replaced.body.memberIds).toEqual([a2.id]);
      expect((await a1.as.get(`/api/v1/teams/${created.body.id}`)).body.memberIds).toEqual([a2.id]);
      expectProblem(await a1.as.post('/api/v1/teams', { name: 'Mine' }), 403);
      expectProblem(await a1.as.patch(`/api/v1/teams/${created.body.id}`, { name: 'Mine' }), 403);
      expect((await a1.as.get('/api/v1/teams')).status).toBe(200);
    });

    it('members must be active staff', async () => {
      const requester = await f.user('requester', { orgId: org.id });
      const gone = await f.user('agent');
      await admin.delete(`/api/v1/users/${gone.id}`);
      const res = await admin.post('/api/v1/teams', { name: `Bad ${n()}`, memberIds: [requester.id, gone.id, 999999] });
      expectProblem(res, 422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['memberIds.0', 'memberIds.1', 'memberIds.2']);
    });
  });

  describe('services', () => {
    it('managers edit the catalog; every signed-in user reads it', async () => {
      const manager = await f.user('manager');
      const created = await manager.as.post('/api/v1/services', { name: `VPN ${n()}` });
      expect(created.status).toBe(201);
      expect(created.body.description).toBeNull();
      const agent = await f.user('agent');
      expectProblem(await agent.as.post('/api/v1/services', { name: 'Mine' }), 403);
      expectProblem(await agent.as.patch(`/api/v1/services/${created.body.id}`, { name: 'Mine' }), 403);
      expectProblem(await agent.as.delete(`/api/v1/services/${created.body.id}`), 403);
      const requester = await f.user('requester', { orgId: org.id });
      expect((await requester.as.get(`/api/v1/services/${created.body.id}`)).body.name).toBe(created.body.name);
      expect((await requester.as.get('/api/v1/services')).status).toBe(200);
    });
  });

  describe('history', () => {
    it('every directory change writes a domain event', async () => {
      const created = (await admin.post('/api/v1/services', { name: `Evented ${n()}` })).body;
      await admin.patch(`/api/v1/services/${created.id}`, { name: 'Evented, renamed' });
      const events = await t.database.db
        .selectFrom('events')
        .select(['type', 'aggregate_id'])
        .where('aggregate_type', '=', 'service')
        .where('aggregate_id', '=', created.id)
        .orderBy('id')
        .execute();
      expect(events.map((e) => e.type)).toEqual(['service.created', 'service.updated']);
    });
  });
});

function expectProblem(res: Reply, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String) });
}

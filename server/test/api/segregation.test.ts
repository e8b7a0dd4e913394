import type { FastifyInstance } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertApiToken } from '../../src/auth/auth.repository.ts';
import { newSecret } from '../../src/lib/passwords.ts';
import { factories } from '../factories.ts';
import { SoftwareAuthenticator } from '../support/software-authenticator.ts';
import { client, type Client, DIALECTS, type Reply, signIn, startTestApp, type TestApp } from '../test-app.ts';
import { openLiveStream } from '../support/live-stream.ts';

/**
 * Tenant segregation, route by route. Two client organizations A and B; the "foreign" actors are an
 * agent who serves B only, a manager who serves B only (a "scoped manager") and a requester of B. Every route of the API has a case in ROUTES below
 * (keyed `METHOD /openapi/path`): a new route without one fails "every route has a case".
 *
 * The rule checked everywhere: a record of A answers the foreign actors exactly as a record that does
 * not exist (404, same problem body), and lists never include A's records. Requesters get 403 only on
 * staff-only actions, where the answer is the same whether the record exists or not. What applies to every
 * organization (shared SLA policies, calendars, teams, services, a recompute of everything) is for admins and
 * managers of all organizations: the scoped manager gets 403 on what they can read, 404 on what they cannot.
 */

const MISSING = 987_654;
const PASSWORD = 'segregation-pw-123';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Login {
  id: number;
  personId: number | null;
  orgId: number | null;
  email: string;
  token: string;
  as: Client;
}
interface World {
  t: TestApp;
  admin: Client;
  orgA: { id: number; code: string };
  orgB: { id: number; code: string };
  personA: { id: number };
  personB: { id: number };
  /** Requester of A, portal scope `own`; reported `incOwn`. */
  ownA: Login;
  /** Requester of A, portal scope `own`; reported `incA`, owns `tokenA`. */
  colleagueA: Login;
  /** Requester of A, portal scope `organization`. */
  orgWideA: Login;
  agentA: Login;
  requesterB: Login;
  agentB: Login;
  /** Manager whose scope is B only. */
  managerB: Login;
  incA: { id: number; ref: string; title: string };
  incOwn: { id: number; ref: string };
  incB: { id: number; ref: string };
  tokenA: { id: number; token: string };
  team: { id: number };
  service: { id: number };
  calendar: { id: number };
  policyA: { id: number };
  policyB: { id: number };
  /** An SLA policy of no organization: it applies to all of them. */
  sharedPolicy: { id: number };
}
type Case = (w: World) => Promise<void>;

const foreign = (w: World) => [
  ['agent of B', w.agentB],
  ['scoped manager of B', w.managerB],
  ['requester of B', w.requesterB],
] as const;

/** One case per route. */
const ROUTES: Record<string, Case> = {
  // ----- auth -----
  'POST /api/v1/auth/login': async (w) => {
    for (const [who, u] of foreign(w)) {
      const res = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD } });
      expect(res.statusCode, who).toBe(200);
      expect(res.json().id).toBe(u.id);
      const cookie = res.cookies.find((c) => c.name === 'vigie_session')!;
      // A session is scoped like a token.
      const seen = await w.t.app.inject({ method: 'GET', url: `/api/v1/incidents/${w.incA.id}`, cookies: { vigie_session: cookie.value } });
      expect(seen.statusCode, who).toBe(404);
      const list = await w.t.app.inject({ method: 'GET', url: '/api/v1/incidents?limit=200', cookies: { vigie_session: cookie.value } });
      expect(list.json().items.some((i: { orgId: number }) => i.orgId === w.orgA.id), who).toBe(false);
    }
  },
  'POST /api/v1/auth/logout': async (w) => {
    const sessionOf = async (u: Login) => {
      const res = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD } });
      return res.cookies.find((c) => c.name === 'vigie_session')!.value;
    };
    const a = await sessionOf(w.colleagueA);
    const b = await sessionOf(w.requesterB);
    const out = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies: { vigie_session: b } });
    expect(out.statusCode).toBe(204);
    // B's logout ends B's session only.
    expect((await w.t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { vigie_session: b } })).statusCode).toBe(401);
    expect((await w.t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { vigie_session: a } })).statusCode).toBe(200);
  },
  'GET /api/v1/me': async (w) => {
    for (const [who, u] of foreign(w)) {
      const me = await u.as.get('/api/v1/me');
      expect(me.status, who).toBe(200);
      expect(me.body.id).toBe(u.id);
    }
    expect((await w.agentB.as.get('/api/v1/me')).body.orgScope).toEqual([w.orgB.id]);
    expect((await w.requesterB.as.get('/api/v1/me')).body.orgId).toBe(w.orgB.id);
  },
  'POST /api/v1/api-tokens': async (w) => {
    for (const [who, u] of foreign(w)) {
      const created = await (await sessionClient(w, u)).post('/api/v1/api-tokens', { name: 'mine' });
      expect(created.status, who).toBe(201);
      const as = client(w.t.app, created.body.token);
      expect((await as.get('/api/v1/me')).body.id, who).toBe(u.id);
      await expectSameAsMissing(who, (id) => as.get(`/api/v1/incidents/${id}`), w.incA.id);
    }
  },
  'GET /api/v1/api-tokens': async (w) => {
    for (const [who, u] of foreign(w)) {
      const list = await u.as.get('/api/v1/api-tokens');
      expect(list.status, who).toBe(200);
      expect(list.body.items.map((x: { id: number }) => x.id), who).not.toContain(w.tokenA.id);
    }
  },
  'DELETE /api/v1/api-tokens/{id}': async (w) => {
    for (const [who, u] of foreign(w)) {
      await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/api-tokens/${id}`), w.tokenA.id);
    }
    expect((await client(w.t.app, w.tokenA.token).get('/api/v1/me')).status).toBe(200);
  },
  // Sessions and password of the signed-in user: only ever their own (no route takes another user's id).
  'GET /api/v1/me/sessions': async (w) => {
    const a = await signInAs(w, w.colleagueA);
    const idsOfA = await sessionIdsOf(w, a);
    for (const [who, u] of foreign(w)) {
      const own = await signInAs(w, u);
      const ids = await sessionIdsOf(w, own);
      expect(ids.length, who).toBeGreaterThan(0);
      expect(ids.filter((id) => idsOfA.includes(id)), who).toEqual([]);
      expect((await u.as.get('/api/v1/me/sessions')).body.items.map((s: { id: string }) => s.id).sort(), who).toEqual([...ids].sort());
    }
  },
  'DELETE /api/v1/me/sessions/{id}': async (w) => {
    const a = await signInAs(w, w.colleagueA);
    const [idOfA] = await sessionIdsOf(w, a, true);
    for (const [who, u] of foreign(w)) {
      const own = await signInAs(w, u);
      const seen = await w.t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${idOfA}`, cookies: { vigie_session: own } });
      const missing = await w.t.app.inject({ method: 'DELETE', url: '/api/v1/me/sessions/no-such-session', cookies: { vigie_session: own } });
      expect(seen.statusCode, who).toBe(404);
      expect(seen.json(), who).toEqual(missing.json());
    }
    expect((await w.t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { vigie_session: a } })).statusCode).toBe(200);
  },
  'POST /api/v1/me/sessions/revoke-others': async (w) => {
    const a = await signInAs(w, w.colleagueA);
    for (const [who, u] of foreign(w)) {
      const other = await signInAs(w, u);
      expect((await (await sessionClient(w, u)).post('/api/v1/me/sessions/revoke-others')).status, who).toBe(200);
      // Their other session ended; A's did not.
      expect((await w.t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { vigie_session: other } })).statusCode, who).toBe(401);
    }
    expect((await w.t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { vigie_session: a } })).statusCode).toBe(200);
  },
  'POST /api/v1/me/password': async (w) => {
    const a = await signInAs(w, w.colleagueA);
    for (const [who, u] of foreign(w)) {
      const me = await sessionClient(w, u);
      expectProblem(await me.post('/api/v1/me/password', { currentPassword: 'not-mine-at-all', newPassword: 'changed-password-1' }), 403, who);
      // A change (and back) touches only their own account.
      expect((await me.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: 'changed-password-1' })).status, who).toBe(200);
      expect((await me.post('/api/v1/me/password', { currentPassword: 'changed-password-1', newPassword: PASSWORD })).status, who).toBe(200);
    }
    expect((await w.t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { vigie_session: a } })).statusCode).toBe(200);
    expect((await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: w.colleagueA.email, password: PASSWORD } })).statusCode).toBe(200);
  },

  // ----- live updates (Server-Sent Events) -----
  'GET /api/v1/live': async (w) => {
    const base = await listening(w.t.app);
    const streams = await Promise.all(foreign(w).map(([who, u]) => openLiveStream(`${base}/api/v1/live`, u.token, who)));
    try {
      // Each round changes A's incident then B's: once B's change is seen, A's would have been seen before it.
      for (let round = 0; round < 20 && !streams.every((s) => s.messages.some((m) => m.incidentId === w.incB.id)); round++) {
        await w.admin.post(`/api/v1/incidents/${w.incA.id}/comments`, { body: `Live A ${round}`, visibility: 'public' });
        await w.admin.post(`/api/v1/incidents/${w.incB.id}/comments`, { body: `Live B ${round}`, visibility: 'public' });
        await new Promise((r) => setTimeout(r, 250));
      }
      for (const s of streams) {
        expect(s.messages.some((m) => m.incidentId === w.incB.id), `${s.who} receives B's changes`).toBe(true);
        expect(s.messages.filter((m) => m.incidentId === w.incA.id || m.orgId === w.orgA.id), `${s.who} receives A's changes`).toEqual([]);
      }
    } finally {
      for (const s of streams) s.close();
    }
  },

  // ----- attachments -----
  'POST /api/v1/incidents/{id}/attachments': async (w) => {
    for (const [who, u] of [...foreign(w), ['own-scope colleague', w.ownA] as const]) {
      await expectSameAsMissing(who, (id) => upload(w, u.token, id, 'public'), w.incA.id);
    }
    await expectSameAsMissing('agent of B: internal', (id) => upload(w, w.agentB.token, id, 'internal'), w.incA.id);
    expect((await w.admin.get(`/api/v1/incidents/${w.incA.id}/attachments`)).body.items.some((a: { filename: string }) => a.filename === 'planted.txt')).toBe(false);
    expect((await upload(w, w.requesterB.token, w.incB.id, 'public')).status).toBe(201);
  },
  'GET /api/v1/incidents/{id}/attachments': async (w) => {
    const [pub, internal] = await attachmentsOfA(w);
    for (const [who, u] of [...foreign(w), ['own-scope colleague', w.ownA] as const]) {
      await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/incidents/${id}/attachments`), w.incA.id);
    }
    const seen = (await w.orgWideA.as.get(`/api/v1/incidents/${w.incA.id}/attachments`)).body.items.map((a: { id: number }) => a.id);
    expect(seen).toContain(pub);
    expect(seen).not.toContain(internal);
  },
  'GET /api/v1/attachments/{id}': async (w) => {
    const [pub, internal] = await attachmentsOfA(w);
    for (const [who, u] of [...foreign(w), ['own-scope colleague', w.ownA] as const]) {
      await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/attachments/${id}`), pub);
      await expectSameAsMissing(`${who}: internal`, (id) => u.as.get(`/api/v1/attachments/${id}`), internal);
    }
    // A requester of A who may see the incident gets its public files, never its internal ones.
    expect((await w.t.app.inject({ url: `/api/v1/attachments/${pub}`, headers: { authorization: `Bearer ${w.orgWideA.token}` } })).statusCode).toBe(200);
    await expectSameAsMissing('requester of A: internal', (id) => w.orgWideA.as.get(`/api/v1/attachments/${id}`), internal);
  },

  // ----- saved views: personal -----
  'POST /api/v1/saved-views': async (w) => {
    const created = await w.colleagueA.as.post('/api/v1/saved-views', { name: 'Mine A', filters: { orgId: String(w.orgA.id) } });
    expect(created.status).toBe(201);
    for (const [who, u] of foreign(w)) {
      const own = await u.as.post('/api/v1/saved-views', { name: 'Mine B', filters: { orgId: String(w.orgA.id) } });
      expect(own.status, who).toBe(201);
      // A saved filter naming A's organization still shows nothing of A.
      const items = (await u.as.get(`/api/v1/incidents?orgId=${w.orgA.id}`)).body.items;
      expect(items, who).toEqual([]);
    }
  },
  'GET /api/v1/saved-views': async (w) => {
    const a = (await w.colleagueA.as.post('/api/v1/saved-views', { name: 'Secret A', filters: {} })).body;
    for (const [who, u] of foreign(w)) {
      const list = await u.as.get('/api/v1/saved-views');
      expect(list.status, who).toBe(200);
      expect(list.body.items.map((v: { id: number }) => v.id), who).not.toContain(a.id);
    }
  },
  'DELETE /api/v1/saved-views/{id}': async (w) => {
    const a = (await w.colleagueA.as.post('/api/v1/saved-views', { name: 'Keep A', filters: {} })).body;
    for (const [who, u] of foreign(w)) {
      await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/saved-views/${id}`), a.id);
    }
    expect((await w.colleagueA.as.get('/api/v1/saved-views')).body.items.map((v: { id: number }) => v.id)).toContain(a.id);
  },

  // ----- organizations -----
  'POST /api/v1/organizations': async (w) => {
    for (const [who, u] of foreign(w)) {
      const res = await u.as.post('/api/v1/organizations', { name: 'Mine', code: `X${u.id}` });
      expectProblem(res, 403, who);
    }
  },
  'GET /api/v1/organizations': async (w) => {
    for (const [who, u] of foreign(w)) {
      const ids = (await listAll(u.as, '/api/v1/organizations')).map((o) => o.id);
      expect(ids, who).toEqual([w.orgB.id]);
      expect((await u.as.get(`/api/v1/organizations?q=${w.orgA.code}`)).body.items, who).toEqual([]);
    }
  },
  'GET /api/v1/organizations/{id}': async (w) => {
    for (const [who, u] of foreign(w)) {
      await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/organizations/${id}`), w.orgA.id);
      expect((await u.as.get(`/api/v1/organizations/${w.orgB.id}`)).status, who).toBe(200);
    }
  },
  'PATCH /api/v1/organizations/{id}': async (w) => {
    for (const [who, u] of foreign(w)) {
      await expectSameAsMissing(who, (id) => u.as.patch(`/api/v1/organizations/${id}`, { name: 'Pwned' }), w.orgA.id);
    }
    expect((await w.admin.get(`/api/v1/organizations/${w.orgA.id}`)).body.name).not.toBe('Pwned');
  },
  'DELETE /api/v1/organizations/{id}': async (w) => {
    for (const [who, u] of foreign(w)) {
      await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/organizations/${id}`), w.orgA.id);
    }
    expect((await w.admin.get(`/api/v1/organizations/${w.orgA.id}`)).body.active).toBe(true);
  },

  // ----- people -----
  'POST /api/v1/people': async (w) => {
    await expectSameAsMissing('agent of B', (orgId) => w.agentB.as.post('/api/v1/people', { orgId, name: 'Planted' }), w.orgA.id, 'reference');
    expect((await w.agentB.as.post('/api/v1/people', { orgId: w.orgB.id, name: 'Fine' })).status).toBe(201);
    // Staff-only: 403 whatever the organization.
    expectProblem(await w.requesterB.as.post('/api/v1/people', { orgId: w.orgA.id, name: 'Planted' }), 403);
    expectProblem(await w.requesterB.as.post('/api/v1/people', { orgId: w.orgB.id, name: 'Planted' }), 403);
    const inA = await listAll(w.admin, `/api/v1/people?orgId=${w.orgA.id}`);
    expect(inA.some((p) => p.name === 'Planted')).toBe(false);
  },
  'GET /api/v1/people': async (w) => {
    const people = await listAll(w.agentB.as, '/api/v1/people');
    expect(people.map((p) => p.id)).toContain(w.personB.id);
    expect(people.every((p) => p.orgId === w.orgB.id)).toBe(true);
    expect((await w.agentB.as.get(`/api/v1/people?orgId=${w.orgA.id}`)).body.items).toEqual([]);
    expect((await w.agentB.as.get(`/api/v1/people?q=${encodeURIComponent(w.colleagueA.email)}`)).body.items).toEqual([]);
    expectProblem(await w.requesterB.as.get('/api/v1/people'), 403);
  },
  'GET /api/v1/people/{id}': async (w) => {
    for (const [who, u] of foreign(w)) {
      await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/people/${id}`), w.personA.id);
      await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/people/${id}`), w.colleagueA.personId!);
    }
    expect((await w.agentB.as.get(`/api/v1/people/${w.personB.id}`)).status).toBe(200);
    expect((await w.requesterB.as.get(`/api/v1/people/${w.requesterB.personId}`)).status).toBe(200);
    expect((await w.agentA.as.get(`/api/v1/people/${w.personA.id}`)).status).toBe(200);
  },
  'PATCH /api/v1/people/{id}': async (w) => {
    for (const [who, u] of [['agent of B', w.agentB], ['scoped manager of B', w.managerB]] as const) {
      await expectSameAsMissing(who, (id) => u.as.patch(`/api/v1/people/${id}`, { name: 'Pwned' }), w.personA.id);
    }
    // Staff-only: a requester gets the same 403 for a person of their organization, of another, or none.
    for (const id of [w.personA.id, w.personB.id]) await expectSameAsMissing('requester of B', (p) => w.requesterB.as.patch(`/api/v1/people/${p}`, { name: 'Pwned' }), id, 403);
    expect((await w.admin.get(`/api/v1/people/${w.personA.id}`)).body.name).not.toBe('Pwned');
    expect((await w.admin.get(`/api/v1/people/${w.personB.id}`)).body.name).not.toBe('Pwned');
  },
  'DELETE /api/v1/people/{id}': async (w) => {
    for (const [who, u] of [['agent of B', w.agentB], ['scoped manager of B', w.managerB]] as const) {
      await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/people/${id}`), w.personA.id);
    }
    for (const id of [w.personA.id, w.personB.id]) await expectSameAsMissing('requester of B', (p) => w.requesterB.as.delete(`/api/v1/people/${p}`), id, 403);
    expect((await w.admin.get(`/api/v1/people/${w.personA.id}`)).body.active).toBe(true);
    expect((await w.admin.get(`/api/v1/people/${w.personB.id}`)).body.active).toBe(true);
  },

  // ----- users -----
  'POST /api/v1/users': async (w) => {
    for (const [who, u] of foreign(w)) {
      const res = await u.as.post('/api/v1/users', { email: `planted${u.id}@example.test`, name: 'Planted', role: 'requester', orgId: w.orgA.id });
      expectProblem(res, 403, who);
    }
  },
  'GET /api/v1/users': async (w) => {
    const users = await listAll(w.agentB.as, '/api/v1/users');
    const ids = users.map((u) => u.id);
    expect(ids).toContain(w.requesterB.id);
    for (const a of [w.ownA, w.colleagueA, w.orgWideA]) expect(ids).not.toContain(a.id);
    expect(users.some((u) => u.orgId === w.orgA.id && u.role === 'requester')).toBe(false);
    expect((await w.agentB.as.get(`/api/v1/users?orgId=${w.orgA.id}&role=requester`)).body.items).toEqual([]);
    expectProblem(await w.requesterB.as.get('/api/v1/users'), 403);
  },
  'GET /api/v1/users/{id}': async (w) => {
    for (const [who, u] of foreign(w)) {
      await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/users/${id}`), w.colleagueA.id);
    }
    expect((await w.agentB.as.get(`/api/v1/users/${w.requesterB.id}`)).status).toBe(200);
    expect((await w.requesterB.as.get(`/api/v1/users/${w.requesterB.id}`)).status).toBe(200);
  },
  'PATCH /api/v1/users/{id}': async (w) => {
    for (const [who, u] of foreign(w)) {
      await expectSameAsMissing(who, (id) => u.as.patch(`/api/v1/users/${id}`, { name: 'Pwned' }), w.colleagueA.id);
      // Nor may they move themselves into A.
      expectProblem(await u.as.patch(`/api/v1/users/${u.id}`, u === w.agentB ? { orgScope: [w.orgA.id] } : { orgId: w.orgA.id }), 403, who);
    }
    expect((await w.admin.get(`/api/v1/users/${w.colleagueA.id}`)).body.name).not.toBe('Pwned');
    // An admin editing another field leaves the scope as it is (a PATCH must not reset it to "all").
    expect((await w.admin.patch(`/api/v1/users/${w.agentB.id}`, { name: 'Agent of B' })).body.orgScope).toEqual([w.orgB.id]);
    expect((await w.admin.patch(`/api/v1/users/${w.orgWideA.id}`, { name: 'Org-wide of A' })).body.portalScope).toBe('organization');
    expect((await w.admin.patch(`/api/v1/users/${w.ownA.id}`, { name: 'Own of A' })).body.portalScope).toBe('own');
    expect((await w.agentB.as.get(`/api/v1/incidents/${w.incA.id}`)).status).toBe(404);
  },
  'DELETE /api/v1/users/{id}': async (w) => {
    for (const [who, u] of foreign(w)) {
      await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/users/${id}`), w.colleagueA.id);
    }
    expect((await w.colleagueA.as.get('/api/v1/me')).status).toBe(200);
  },
  'DELETE /api/v1/users/{id}/sessions': async (w) => {
    const a = await signInAs(w, w.colleagueA);
    for (const [who, u] of foreign(w)) {
      // Admins only: the same refusal whether the user exists or not.
      await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/users/${id}/sessions`), w.colleagueA.id, 403);
      expectProblem(await u.as.delete(`/api/v1/users/${u.id}/sessions`), 403, who);
    }
    expect((await w.t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: { vigie_session: a } })).statusCode).toBe(200);
    expectProblem(await w.admin.delete(`/api/v1/users/${MISSING}/sessions`), 404);
  },

  // ----- calendars: the provider's, read by staff, written by managers -----
  'POST /api/v1/calendars': async (w) => {
    for (const [who, u] of foreign(w)) expectProblem(await u.as.post('/api/v1/calendars', { name: 'Mine', timezone: 'UTC', hours: [{ day: 1, start: '09:00', end: '10:00' }] }), 403, who);
  },
  'GET /api/v1/calendars': async (w) => {
    expect((await w.agentB.as.get('/api/v1/calendars')).status).toBe(200);
    expect((await w.managerB.as.get('/api/v1/calendars')).status).toBe(200);
    expectProblem(await w.requesterB.as.get('/api/v1/calendars'), 403);
  },
  'GET /api/v1/calendars/{id}': async (w) => {
    expect((await w.agentB.as.get(`/api/v1/calendars/${w.calendar.id}`)).status).toBe(200);
    expectProblem(await w.requesterB.as.get(`/api/v1/calendars/${w.calendar.id}`), 403);
  },
  'PATCH /api/v1/calendars/{id}': async (w) => {
    for (const [who, u] of foreign(w)) await expectSameAsMissing(who, (id) => u.as.patch(`/api/v1/calendars/${id}`, { name: 'Mine' }), w.calendar.id, 403);
    expectProviderWide(await w.managerB.as.patch(`/api/v1/calendars/${w.calendar.id}`, { name: 'Mine' }), 'scoped manager of B');
    expect((await w.admin.get(`/api/v1/calendars/${w.calendar.id}`)).body.name).toBe('Office');
  },
  'DELETE /api/v1/calendars/{id}': async (w) => {
    for (const [who, u] of foreign(w)) await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/calendars/${id}`), w.calendar.id, 403);
    expectProviderWide(await w.managerB.as.delete(`/api/v1/calendars/${w.calendar.id}`), 'scoped manager of B');
    expect((await w.admin.get(`/api/v1/calendars/${w.calendar.id}`)).body.active).toBe(true);
  },
  'POST /api/v1/calendars/{id}/deadline': async (w) => {
    const body = { start: '2026-03-02T08:00:00Z', minutes: 60 };
    expect((await w.agentB.as.post(`/api/v1/calendars/${w.calendar.id}/deadline`, body)).status).toBe(200);
    expectProblem(await w.requesterB.as.post(`/api/v1/calendars/${w.calendar.id}/deadline`, body), 403);
  },
  'POST /api/v1/calendars/{id}/business-minutes': async (w) => {
    const body = { from: '2026-03-02T08:00:00Z', to: '2026-03-02T10:00:00Z' };
    expect((await w.agentB.as.post(`/api/v1/calendars/${w.calendar.id}/business-minutes`, body)).status).toBe(200);
    expectProblem(await w.requesterB.as.post(`/api/v1/calendars/${w.calendar.id}/business-minutes`, body), 403);
  },
  // ----- SLA policies and reports: an organization's policy is tenant data -----
  'POST /api/v1/sla-policies': async (w) => {
    const body = (orgId?: number | null) => ({ name: 'x', ...(orgId !== undefined && { orgId }), calendarId: w.calendar.id, targets: [{ priority: 1, ttoMinutes: 1, ttrMinutes: 2 }] });
    for (const [who, u] of [['agent of B', w.agentB], ['requester of B', w.requesterB]] as const) {
      expectProblem(await u.as.post('/api/v1/sla-policies', body(w.orgA.id)), 403, who);
    }
    // A's organization is unknown to the scoped manager of B; a policy for every organization is not theirs to make.
    await expectSameAsMissing('scoped manager of B', (orgId) => w.managerB.as.post('/api/v1/sla-policies', body(orgId)), w.orgA.id, 'reference');
    expectProviderWide(await w.managerB.as.post('/api/v1/sla-policies', body()), 'scoped manager of B: no orgId');
    expectProviderWide(await w.managerB.as.post('/api/v1/sla-policies', body(null)), 'scoped manager of B: orgId null');
    expect((await w.managerB.as.post('/api/v1/sla-policies', body(w.orgB.id))).status).toBe(201);
    const shared = (await listAll(w.admin, '/api/v1/sla-policies')).filter((p) => p.orgId === null);
    expect(shared.map((p) => p.id)).toEqual([w.sharedPolicy.id]);
  },
  'GET /api/v1/sla-policies': async (w) => {
    for (const [who, u] of [['agent of B', w.agentB], ['scoped manager of B', w.managerB]] as const) {
      const list = await listAll(u.as, '/api/v1/sla-policies');
      expect(list.some((p: { orgId: number | null }) => p.orgId === w.orgA.id), who).toBe(false);
      expect(list.map((p) => p.id), who).toEqual(expect.arrayContaining([w.policyB.id, w.sharedPolicy.id]));
    }
    expectProblem(await w.requesterB.as.get('/api/v1/sla-policies'), 403);
  },
  'GET /api/v1/sla-policies/{id}': async (w) => {
    for (const [who, u] of [['agent of B', w.agentB], ['scoped manager of B', w.managerB]] as const) {
      await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/sla-policies/${id}`), w.policyA.id);
      expect((await u.as.get(`/api/v1/sla-policies/${w.sharedPolicy.id}`)).status, who).toBe(200);
    }
    await expectSameAsMissing('requester of B', (id) => w.requesterB.as.get(`/api/v1/sla-policies/${id}`), w.policyA.id, 403);
  },
  'PATCH /api/v1/sla-policies/{id}': async (w) => {
    for (const [who, u] of [['agent of B', w.agentB], ['scoped manager of B', w.managerB]] as const) {
      await expectSameAsMissing(who, (id) => u.as.patch(`/api/v1/sla-policies/${id}`, { name: 'Mine' }), w.policyA.id);
    }
    // Requesters are refused alike, whatever the policy: A's, B's, the shared one or none.
    for (const id of [w.policyA.id, w.policyB.id, w.sharedPolicy.id]) {
      await expectSameAsMissing('requester of B', (p) => w.requesterB.as.patch(`/api/v1/sla-policies/${p}`, { name: 'Mine' }), id, 403);
    }
    // The scoped manager: B's policy stays B's; the shared one is not theirs; A is unknown to them.
    expectProviderWide(await w.managerB.as.patch(`/api/v1/sla-policies/${w.policyB.id}`, { orgId: null }), 'scoped manager of B: orgId null');
    expectProviderWide(await w.managerB.as.patch(`/api/v1/sla-policies/${w.sharedPolicy.id}`, { name: 'Mine' }), 'scoped manager of B: shared');
    expectProviderWide(await w.managerB.as.patch(`/api/v1/sla-policies/${w.sharedPolicy.id}`, { orgId: w.orgB.id }), 'scoped manager of B: taking the shared one');
    await expectSameAsMissing('scoped manager of B: to A', (orgId) => w.managerB.as.patch(`/api/v1/sla-policies/${w.policyB.id}`, { orgId }), w.orgA.id, 'reference');
    expect((await w.managerB.as.patch(`/api/v1/sla-policies/${w.policyB.id}`, { name: 'B, renamed' })).status).toBe(200);
    expect((await w.admin.get(`/api/v1/sla-policies/${w.policyB.id}`)).body).toMatchObject({ orgId: w.orgB.id, name: 'B, renamed' });
    expect((await w.admin.get(`/api/v1/sla-policies/${w.sharedPolicy.id}`)).body).toMatchObject({ orgId: null, name: 'Shared' });
    expect((await w.admin.get(`/api/v1/sla-policies/${w.policyA.id}`)).body.name).toBe('Only A');
  },
  'DELETE /api/v1/sla-policies/{id}': async (w) => {
    for (const [who, u] of [['agent of B', w.agentB], ['scoped manager of B', w.managerB]] as const) {
      await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/sla-policies/${id}`), w.policyA.id);
    }
    for (const id of [w.policyA.id, w.policyB.id, w.sharedPolicy.id]) {
      await expectSameAsMissing('requester of B', (p) => w.requesterB.as.delete(`/api/v1/sla-policies/${p}`), id, 403);
    }
    expectProviderWide(await w.managerB.as.delete(`/api/v1/sla-policies/${w.sharedPolicy.id}`), 'scoped manager of B: shared');
    for (const p of [w.policyA, w.sharedPolicy]) expect((await w.admin.get(`/api/v1/sla-policies/${p.id}`)).body.active).toBe(true);
  },
  'POST /api/v1/sla/recompute': async (w) => {
    for (const [who, u] of [['agent of B', w.agentB], ['requester of B', w.requesterB]] as const) expectProblem(await u.as.post('/api/v1/sla/recompute'), 403, who);
    // The scoped manager recomputes B's open incidents, never A's.
    const openInB = await listAll(w.admin, `/api/v1/incidents?orgId=${w.orgB.id}&status=new,assigned,in_progress,pending`);
    expect((await w.managerB.as.post('/api/v1/sla/recompute')).body).toEqual({ recomputed: openInB.length });
    expect((await w.managerB.as.post('/api/v1/sla/recompute', { orgId: w.orgB.id })).body).toEqual({ recomputed: openInB.length });
    await expectSameAsMissing('scoped manager of B: orgId of A', (orgId) => w.managerB.as.post('/api/v1/sla/recompute', { orgId }), w.orgA.id);
  },
  'GET /api/v1/reports/sla': async (w) => {
    const report = await w.agentB.as.get(`/api/v1/reports/sla?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&orgId=${w.orgA.id}`);
    expect(report.status).toBe(200);
    expect(report.body.rows).toEqual([]);
    expectProblem(await w.requesterB.as.get('/api/v1/reports/sla?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z'), 403);
  },

  // ----- single sign-on: identity providers are configured by admins only; sign-in routes are public -----
  'GET /api/v1/identity-providers': async (w) => {
    const p = await identityProviderOfA(w);
    for (const [who, u] of [...foreign(w), ['agent of A', w.agentA] as const]) expectProblem(await u.as.get('/api/v1/identity-providers'), 403, who);
    expect((await w.admin.get('/api/v1/identity-providers')).body.items.map((x: { id: number }) => x.id)).toContain(p.id);
  },
  'POST /api/v1/identity-providers': async (w) => {
    for (const [who, u] of [...foreign(w), ['agent of A', w.agentA] as const]) {
      expectProblem(await u.as.post('/api/v1/identity-providers', { name: 'Mine', orgId: w.orgB.id, issuer: 'https://idp.b.invalid', clientId: 'b' }), 403, who);
    }
    expect((await w.admin.get('/api/v1/identity-providers?limit=200')).body.items.some((x: { name: string }) => x.name === 'Mine')).toBe(false);
  },
  'GET /api/v1/identity-providers/{id}': async (w) => {
    const p = await identityProviderOfA(w);
    for (const [who, u] of foreign(w)) await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/identity-providers/${id}`), p.id, 403);
  },
  'PATCH /api/v1/identity-providers/{id}': async (w) => {
    const p = await identityProviderOfA(w);
    for (const [who, u] of foreign(w)) {
      await expectSameAsMissing(who, (id) => u.as.patch(`/api/v1/identity-providers/${id}`, { orgId: w.orgB.id, emailDomains: ['b.invalid'] }), p.id, 403);
    }
    expect((await w.admin.get(`/api/v1/identity-providers/${p.id}`)).body).toMatchObject({ orgId: w.orgA.id, emailDomains: ['a-segregation.invalid'] });
  },
  'GET /api/v1/auth/sso/discover': async (w) => {
    const p = await identityProviderOfA(w);
    // Public, and it says no more than the sign-in page shows: no organization, issuer or client.
    const res = await w.t.app.inject({ url: '/api/v1/auth/sso/discover?email=someone@a-segregation.invalid' });
    expect(res.json()).toEqual({ items: [{ id: p.id, name: 'Sign in as A' }] });
  },
  'GET /api/v1/auth/sso/providers': async (w) => {
    const p = await identityProviderOfA(w);
    const items = (await w.t.app.inject({ url: '/api/v1/auth/sso/providers' })).json().items as Record<string, unknown>[];
    expect(items).toContainEqual({ id: p.id, name: 'Sign in as A' });
    expect(items.every((i) => Object.keys(i).sort().join() === 'id,name')).toBe(true);
  },
  'GET /api/v1/auth/sso/{id}/start': async (w) => {
    const p = await identityProviderOfA(w);
    const off = (await w.admin.post('/api/v1/identity-providers', { name: 'Off', orgId: w.orgB.id, issuer: 'https://idp.off.invalid', clientId: 'off' })).body;
    await w.admin.patch(`/api/v1/identity-providers/${off.id}`, { active: false });
    // A deactivated provider answers exactly as one that does not exist.
    const [seen, missing] = [await w.t.app.inject({ url: `/api/v1/auth/sso/${off.id}/start` }), await w.t.app.inject({ url: `/api/v1/auth/sso/${MISSING}/start` })];
    expect([seen.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(seen.json()).toEqual(missing.json());
    const open = await w.t.app.inject({ url: `/api/v1/auth/sso/${p.id}/start?returnTo=https://evil.test` });
    expect(open.statusCode).toBe(422);
  },
  'GET /api/v1/auth/sso/callback': async (w) => {
    // Without the attempt cookie of this browser, nothing opens a session, whoever calls.
    for (const [who, u] of foreign(w)) {
      const res = await w.t.app.inject({ url: '/api/v1/auth/sso/callback?code=stolen&state=stolen', headers: { authorization: `Bearer ${u.token}` } });
      expect(res.statusCode, who).toBe(302);
      expect(res.headers.location, who).toBe('/?ssoError=expired');
      expect(res.cookies.some((c) => c.name === 'vigie_session'), who).toBe(false);
    }
  },

  // ----- teams and services: the provider's, shared by all staff; no tenant data -----
  'POST /api/v1/teams': async (w) => {
    for (const [who, u] of foreign(w)) expectProblem(await u.as.post('/api/v1/teams', { name: 'Mine' }), 403, who);
  },
  'GET /api/v1/teams': async (w) => {
    expect((await w.agentB.as.get('/api/v1/teams')).status).toBe(200);
    expectProblem(await w.requesterB.as.get('/api/v1/teams'), 403);
  },
  'GET /api/v1/teams/{id}': async (w) => {
    expect((await w.agentB.as.get(`/api/v1/teams/${w.team.id}`)).status).toBe(200);
    await expectSameAsMissing('requester of B', (id) => w.requesterB.as.get(`/api/v1/teams/${id}`), w.team.id, 403);
  },
  'PATCH /api/v1/teams/{id}': async (w) => {
    for (const [who, u] of foreign(w)) await expectSameAsMissing(who, (id) => u.as.patch(`/api/v1/teams/${id}`, { name: 'Mine' }), w.team.id, 403);
    expectProviderWide(await w.managerB.as.patch(`/api/v1/teams/${w.team.id}`, { memberIds: [w.managerB.id] }), 'scoped manager of B');
  },
  'DELETE /api/v1/teams/{id}': async (w) => {
    for (const [who, u] of foreign(w)) await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/teams/${id}`), w.team.id, 403);
    expectProviderWide(await w.managerB.as.delete(`/api/v1/teams/${w.team.id}`), 'scoped manager of B');
    expect((await w.admin.get(`/api/v1/teams/${w.team.id}`)).body.active).toBe(true);
  },
  'POST /api/v1/services': async (w) => {
    for (const [who, u] of foreign(w)) expectProblem(await u.as.post('/api/v1/services', { name: 'Mine' }), 403, who);
  },
  'GET /api/v1/services': async (w) => {
    for (const [who, u] of foreign(w)) expect((await u.as.get('/api/v1/services')).status, who).toBe(200);
  },
  'GET /api/v1/services/{id}': async (w) => {
    for (const [who, u] of foreign(w)) expect((await u.as.get(`/api/v1/services/${w.service.id}`)).status, who).toBe(200);
  },
  'PATCH /api/v1/services/{id}': async (w) => {
    for (const [who, u] of foreign(w)) await expectSameAsMissing(who, (id) => u.as.patch(`/api/v1/services/${id}`, { name: 'Mine' }), w.service.id, 403);
    expectProviderWide(await w.managerB.as.patch(`/api/v1/services/${w.service.id}`, { name: 'Mine' }), 'scoped manager of B');
  },
  'DELETE /api/v1/services/{id}': async (w) => {
    for (const [who, u] of foreign(w)) await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/services/${id}`), w.service.id, 403);
    expect((await w.admin.get(`/api/v1/services/${w.service.id}`)).body.active).toBe(true);
  },

  // ----- incidents -----
  'POST /api/v1/incidents': async (w) => {
    const before = (await listAll(w.admin, `/api/v1/incidents?orgId=${w.orgA.id}`)).length;
    const agent = w.agentB.as;
    await expectSameAsMissing('agent of B: orgId', (orgId) => agent.post('/api/v1/incidents', { orgId, title: 'Planted' }), w.orgA.id, 'reference');
    await expectSameAsMissing('agent of B: callerId', (callerId) => agent.post('/api/v1/incidents', { callerId, title: 'Planted' }), w.personA.id, 'reference');
    await expectSameAsMissing('agent of B: callerId in B', (callerId) => agent.post('/api/v1/incidents', { orgId: w.orgB.id, callerId, title: 'Planted' }), w.personA.id, 'reference');
    await expectSameAsMissing('agent of B: parentId', (parentId) => agent.post('/api/v1/incidents', { orgId: w.orgB.id, parentId, title: 'Planted' }), w.incA.id, 'reference');
    const req = w.requesterB.as;
    await expectSameAsMissing('requester of B: orgId', (orgId) => req.post('/api/v1/incidents', { orgId, title: 'Planted' }), w.orgA.id, 'reference');
    await expectSameAsMissing('requester of B: callerId', (callerId) => req.post('/api/v1/incidents', { callerId, title: 'Planted' }), w.personA.id, 'reference');
    expect((await listAll(w.admin, `/api/v1/incidents?orgId=${w.orgA.id}`)).length).toBe(before);
    // A requester's own report lands in their organization.
    expect((await req.post('/api/v1/incidents', { title: 'Mine' })).body.orgId).toBe(w.orgB.id);
  },
  'GET /api/v1/incidents': async (w) => {
    const word = w.incA.title.split(' ').at(-1)!;
    for (const [who, u] of foreign(w)) {
      const all = await listAll(u.as, '/api/v1/incidents');
      expect(all.map((i) => i.id), who).toContain(w.incB.id);
      expect(all.some((i) => i.orgId !== w.orgB.id), who).toBe(false);
      for (const query of [`orgId=${w.orgA.id}`, `q=${word}`, `q=${w.incA.ref}`, `callerId=${w.colleagueA.personId}`, 'status=new,assigned,in_progress,pending,resolved,closed']) {
        const items = (await u.as.get(`/api/v1/incidents?${query}`)).body.items as { orgId: number }[];
        expect(items.filter((i) => i.orgId === w.orgA.id), `${who} ?${query}`).toEqual([]);
      }
    }
    // Portal scope: `own` sees own reports only; `organization` sees the organization's.
    const own = (await listAll(w.ownA.as, '/api/v1/incidents')).map((i) => i.id);
    expect(own).toContain(w.incOwn.id);
    expect(own).not.toContain(w.incA.id);
    expect((await w.ownA.as.get(`/api/v1/incidents?q=${word}`)).body.items).toEqual([]);
    const orgWide = (await listAll(w.orgWideA.as, '/api/v1/incidents')).map((i) => i.id);
    expect(orgWide).toEqual(expect.arrayContaining([w.incA.id, w.incOwn.id]));
    expect(orgWide).not.toContain(w.incB.id);
    expect((await listAll(w.agentA.as, '/api/v1/incidents')).map((i) => i.id)).not.toContain(w.incB.id);
  },
  'GET /api/v1/incidents/{id}': async (w) => {
    for (const [who, u] of [...foreign(w), ['own-scope colleague', w.ownA] as const]) {
      await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/incidents/${id}`), w.incA.id);
      await expectSameAsMissing(`${who} by ref`, (id) => u.as.get(`/api/v1/incidents/I-${String(id).padStart(6, '0')}`), w.incA.id);
    }
    expect((await w.ownA.as.get(`/api/v1/incidents/${w.incOwn.ref}`)).status).toBe(200);
    expect((await w.orgWideA.as.get(`/api/v1/incidents/${w.incA.ref}`)).status).toBe(200);
    expect((await w.agentA.as.get(`/api/v1/incidents/${w.incA.id}`)).status).toBe(200);
    expect((await w.agentB.as.get(`/api/v1/incidents/${w.incB.id}`)).status).toBe(200);
  },
  'PATCH /api/v1/incidents/{id}': async (w) => {
    for (const [who, u] of [...foreign(w), ['own-scope colleague', w.ownA] as const]) {
      await expectSameAsMissing(who, (id) => u.as.patch(`/api/v1/incidents/${id}`, { title: 'Pwned' }), w.incA.id);
    }
    // A requester who may see it learns nothing new from the 403.
    expectProblem(await w.orgWideA.as.patch(`/api/v1/incidents/${w.incA.id}`, { title: 'Pwned' }), 403);
    // Linking B's incident to A's or calling A's contact looks like an unknown id.
    await expectSameAsMissing('agent of B: parentId', (parentId) => w.agentB.as.patch(`/api/v1/incidents/${w.incB.id}`, { parentId }), w.incA.id, 'reference');
    await expectSameAsMissing('agent of B: callerId', (callerId) => w.agentB.as.patch(`/api/v1/incidents/${w.incB.id}`, { callerId }), w.personA.id, 'reference');
    expect((await w.admin.get(`/api/v1/incidents/${w.incA.id}`)).body.title).toBe(w.incA.title);
  },
  'POST /api/v1/incidents/{id}/transitions': async (w) => {
    const body = { to: 'resolved', resolutionCode: 'fixed', resolution: 'Pwned' };
    for (const [who, u] of [...foreign(w), ['own-scope colleague', w.ownA] as const]) {
      await expectSameAsMissing(who, (id) => u.as.post(`/api/v1/incidents/${id}/transitions`, body), w.incA.id);
      await expectSameAsMissing(`${who} assigning`, (id) => u.as.post(`/api/v1/incidents/${id}/transitions`, { to: 'assigned', teamId: w.team.id }), w.incA.id);
    }
    expect((await w.admin.get(`/api/v1/incidents/${w.incA.id}`)).body.status).toBe('new');
  },
  'POST /api/v1/incidents/{id}/comments': async (w) => {
    for (const [who, u] of [...foreign(w), ['own-scope colleague', w.ownA] as const]) {
      await expectSameAsMissing(who, (id) => u.as.post(`/api/v1/incidents/${id}/comments`, { body: 'Pwned', visibility: 'public' }), w.incA.id);
    }
    await expectSameAsMissing('agent of B: note', (id) => w.agentB.as.post(`/api/v1/incidents/${id}/comments`, { body: 'Pwned', visibility: 'internal' }), w.incA.id);
    const timeline = await w.admin.get(`/api/v1/incidents/${w.incA.id}/timeline`);
    expect(timeline.body.items.some((e: { body: string | null }) => e.body === 'Pwned')).toBe(false);
  },
  'GET /api/v1/incidents/{id}/timeline': async (w) => {
    for (const [who, u] of [...foreign(w), ['own-scope colleague', w.ownA] as const]) {
      await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/incidents/${id}/timeline`), w.incA.id);
    }
    const seen = await w.orgWideA.as.get(`/api/v1/incidents/${w.incA.ref}/timeline`);
    expect(seen.status).toBe(200);
    const bodies = seen.body.items.map((e: { body: string | null }) => e.body);
    expect(bodies).toContain('Public answer for A');
    expect(bodies).not.toContain('Internal note for A');
    expect(seen.body.items.every((e: { visibility: string }) => e.visibility === 'public')).toBe(true);
  },

  // ----- admin audit log: provider-wide configuration history, admins only -----
  'GET /api/v1/audit-log': async (w) => {
    const managerB = await scopedManager(w, w.orgB.id);
    for (const [who, u] of [...foreign(w), ['manager of B', managerB] as const]) {
      expectProblem(await u.as.get('/api/v1/audit-log'), 403, who);
      expectProblem(await u.as.get(`/api/v1/audit-log?aggregateType=sla_policy&aggregateId=${w.policyA.id}`), 403, who);
    }
    const seen = await w.admin.get(`/api/v1/audit-log?aggregateType=sla_policy&aggregateId=${w.policyA.id}`);
    expect(seen.body.items.map((e: { type: string }) => e.type)).toEqual(['sla_policy.created']);
  },
  'GET /api/v1/audit-log/export': async (w) => {
    const managerB = await scopedManager(w, w.orgB.id);
    for (const [who, u] of [...foreign(w), ['manager of B', managerB] as const]) {
      expectProblem(await u.as.get(`/api/v1/audit-log/export?format=csv&aggregateId=${w.policyA.id}`), 403, who);
    }
  },
  // ----- two-factor sign-in: each user acts on their own account only -----
  'GET /api/v1/me/two-factor': async (w) => {
    await enrolTotp(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) expect((await u.as.get('/api/v1/me/two-factor')).body, who).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    } finally {
      await resetTotp(w, w.colleagueA);
    }
  },
  'POST /api/v1/me/two-factor/totp': async (w) => {
    await enrolTotp(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) {
        const res = await (await sessionClient(w, u)).post('/api/v1/me/two-factor/totp');
        expect(res.status, who).toBe(200);
        expect(decodeURIComponent(res.body.otpauthUri), who).toContain(`Vigie:${u.email}`);
      }
      expect((await w.colleagueA.as.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    } finally {
      await resetTotp(w, w.colleagueA);
      for (const [, u] of foreign(w)) await resetTotp(w, u);
    }
  },
  'POST /api/v1/me/two-factor/totp/confirm': async (w) => {
    const seedA = (await (await sessionClient(w, w.colleagueA)).post('/api/v1/me/two-factor/totp')).body.secret;
    try {
      for (const [who, u] of foreign(w)) {
        const me = await sessionClient(w, u);
        await me.post('/api/v1/me/two-factor/totp');
        // A's code confirms nothing of B's, and never A's enrolment.
        expect((await me.post('/api/v1/me/two-factor/totp/confirm', { code: totpNow(seedA) })).status, who).toBe(422);
      }
      expect((await w.colleagueA.as.get('/api/v1/me/two-factor')).body.enabled).toBe(false);
    } finally {
      await resetTotp(w, w.colleagueA);
      for (const [, u] of foreign(w)) await resetTotp(w, u);
    }
  },
  'POST /api/v1/me/two-factor/recovery-codes': async (w) => {
    await enrolTotp(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) expectProblem(await (await sessionClient(w, u)).post('/api/v1/me/two-factor/recovery-codes', { password: PASSWORD }), 409, who);
      expect((await w.colleagueA.as.get('/api/v1/me/two-factor')).body.recoveryCodesLeft).toBe(10);
    } finally {
      await resetTotp(w, w.colleagueA);
    }
  },
  'DELETE /api/v1/me/two-factor': async (w) => {
    await enrolTotp(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) {
        expectProblem(await (await sessionClient(w, u)).delete('/api/v1/me/two-factor', { password: PASSWORD }), 409, who);
      }
      expect((await w.colleagueA.as.get('/api/v1/me/two-factor')).body.enabled).toBe(true);
    } finally {
      await resetTotp(w, w.colleagueA);
    }
  },
  'POST /api/v1/auth/login/two-factor': async (w) => {
    const codesA = await enrolTotp(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) {
        const own = await enrolTotp(w, u);
        const challenge = async () => (await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD } })).json().challenge;
        // A's recovery code is unknown to B's sign-in.
        const withA = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge: await challenge(), code: codesA[0] } });
        expect(withA.statusCode, who).toBe(401);
        const res = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor', payload: { challenge: await challenge(), code: own[0] } });
        expect(res.statusCode, who).toBe(200);
        expect(res.json().id, who).toBe(u.id);
        const cookie = res.cookies.find((c) => c.name === 'vigie_session')!.value;
        expect((await w.t.app.inject({ url: `/api/v1/incidents/${w.incA.id}`, cookies: { vigie_session: cookie } })).statusCode, who).toBe(404);
        await resetTotp(w, u);
      }
      expect((await w.colleagueA.as.get('/api/v1/me/two-factor')).body.recoveryCodesLeft).toBe(10);
    } finally {
      await resetTotp(w, w.colleagueA);
      for (const [, u] of foreign(w)) await resetTotp(w, u);
    }
  },
  'POST /api/v1/auth/login/two-factor/setup': async (w) => {
    const put = (value: boolean) => w.t.app.inject({ method: 'PUT', url: '/api/v1/settings/security', payload: { requireTwoFactorForStaff: value }, headers: { authorization: `Bearer ${w.t.adminToken}` } });
    expect((await put(true)).statusCode).toBe(200);
    try {
      const login = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: w.agentB.email, password: PASSWORD } });
      expect(login.json().twoFactorSetupRequired).toBe(true);
      const setup = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/setup', payload: { challenge: login.json().challenge } });
      expect(setup.statusCode).toBe(200);
      expect(decodeURIComponent(setup.json().otpauthUri)).toContain(`Vigie:${w.agentB.email}`);
      const rows = await w.t.database.db.selectFrom('user_totp').select('user_id').execute();
      expect(rows.map((r) => r.user_id)).toEqual([w.agentB.id]);
    } finally {
      expect((await put(false)).statusCode).toBe(200);
      await resetTotp(w, w.agentB);
    }
  },
  'GET /api/v1/settings/security': async (w) => {
    for (const [who, u] of foreign(w)) expectProblem(await u.as.get('/api/v1/settings/security'), 403, who);
    expectProblem(await w.agentA.as.get('/api/v1/settings/security'), 403);
  },
  'PUT /api/v1/settings/security': async (w) => {
    for (const [who, u] of foreign(w)) {
      const res = await w.t.app.inject({ method: 'PUT', url: '/api/v1/settings/security', payload: { requireTwoFactorForStaff: true }, headers: { authorization: `Bearer ${u.token}` } });
      expect(res.statusCode, who).toBe(403);
    }
    expect((await w.admin.get('/api/v1/settings/security')).body).toEqual({ requireTwoFactorForStaff: false });
  },
  'GET /api/v1/users/{id}/two-factor': async (w) => {
    await enrolTotp(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) await expectSameAsMissing(who, (id) => u.as.get(`/api/v1/users/${id}/two-factor`), w.colleagueA.id, 403);
    } finally {
      await resetTotp(w, w.colleagueA);
    }
  },
  'DELETE /api/v1/users/{id}/two-factor': async (w) => {
    await enrolTotp(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) await expectSameAsMissing(who, (id) => u.as.delete(`/api/v1/users/${id}/two-factor`), w.colleagueA.id, 403);
      expect((await w.colleagueA.as.get('/api/v1/me/two-factor')).body.enabled).toBe(true);
    } finally {
      await resetTotp(w, w.colleagueA);
    }
  },
  // ----- passkeys (WebAuthn second factor): each user's own only -----
  'GET /api/v1/me/two-factor/passkeys': async (w) => {
    const a = await addPasskey(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) expect((await u.as.get('/api/v1/me/two-factor/passkeys')).body, who).toEqual({ items: [] });
      expect((await a.me.get('/api/v1/me/two-factor/passkeys')).body.items.map((p: { id: number }) => p.id)).toEqual([a.id]);
    } finally {
      await resetTotp(w, w.colleagueA);
    }
  },
  'POST /api/v1/me/two-factor/passkeys/options': async (w) => {
    const a = await addPasskey(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) {
        const res = await (await sessionClient(w, u)).post('/api/v1/me/two-factor/passkeys/options');
        expect(res.status, who).toBe(200);
        expect(res.body.user.name, who).toBe(u.email);
        expect(res.body.excludeCredentials, who).toEqual([]);
      }
      expect(JSON.stringify((await a.me.post('/api/v1/me/two-factor/passkeys/options', { password: PASSWORD })).body.excludeCredentials)).toContain(a.key.id);
    } finally {
      await resetTotp(w, w.colleagueA);
    }
  },
  'POST /api/v1/me/two-factor/passkeys': async (w) => {
    const a = await addPasskey(w, w.colleagueA);
    const optionsA = (await a.me.post('/api/v1/me/two-factor/passkeys/options', { password: PASSWORD })).body;
    try {
      for (const [who, u] of foreign(w)) {
        const me = await sessionClient(w, u);
        const own = (await me.post('/api/v1/me/two-factor/passkeys/options')).body;
        // A's registration challenge is not B's; A's credential cannot become B's.
        const key = new SoftwareAuthenticator(PASSKEY_ORIGIN);
        expectProblem(await me.post('/api/v1/me/two-factor/passkeys', { name: 'x', response: key.register({ ...own, challenge: optionsA.challenge }) }), 422, who);
        const again = (await me.post('/api/v1/me/two-factor/passkeys/options')).body;
        expectProblem(await me.post('/api/v1/me/two-factor/passkeys', { name: 'x', response: a.key.register(again) }), 409, who);
      }
      expect((await w.colleagueA.as.get('/api/v1/me/two-factor')).body).toMatchObject({ enabled: true, passkeys: 1 });
    } finally {
      await resetTotp(w, w.colleagueA);
    }
  },
  'DELETE /api/v1/me/two-factor/passkeys/{id}': async (w) => {
    const a = await addPasskey(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) {
        const me = await sessionClient(w, u);
        await expectSameAsMissing(who, (id) => me.delete(`/api/v1/me/two-factor/passkeys/${id}`, { password: PASSWORD }), a.id);
      }
      expect((await w.colleagueA.as.get('/api/v1/me/two-factor')).body.passkeys).toBe(1);
    } finally {
      await resetTotp(w, w.colleagueA);
    }
  },
  'POST /api/v1/auth/login/two-factor/passkey-options': async (w) => {
    const a = await addPasskey(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) {
        const own = await addPasskey(w, u);
        const login = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD } });
        const res = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/passkey-options', payload: { challenge: login.json().challenge } });
        expect(res.statusCode, who).toBe(200);
        expect(res.json().allowCredentials.map((c: { id: string }) => c.id), who).toEqual([own.key.id]);
        expect(res.body, who).not.toContain(a.key.id);
        await resetTotp(w, u);
      }
    } finally {
      await resetTotp(w, w.colleagueA);
      for (const [, u] of foreign(w)) await resetTotp(w, u);
    }
  },
  'POST /api/v1/auth/login/two-factor/passkey': async (w) => {
    const a = await addPasskey(w, w.colleagueA);
    try {
      for (const [who, u] of foreign(w)) {
        const own = await addPasskey(w, u);
        const attempt = async (key: SoftwareAuthenticator) => {
          const login = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD } });
          const challenge = login.json().challenge;
          const options = (await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/passkey-options', payload: { challenge } })).json();
          return w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login/two-factor/passkey', payload: { challenge, response: key.authenticate(options) } });
        };
        // A's passkey does not sign B in; B's own does, into B's scope only.
        expect((await attempt(a.key)).statusCode, who).toBe(401);
        const res = await attempt(own.key);
        expect(res.statusCode, who).toBe(200);
        expect(res.json().id, who).toBe(u.id);
        const cookie = res.cookies.find((c) => c.name === 'vigie_session')!.value;
        expect((await w.t.app.inject({ url: `/api/v1/incidents/${w.incA.id}`, cookies: { vigie_session: cookie } })).statusCode, who).toBe(404);
        await resetTotp(w, u);
      }
    } finally {
      await resetTotp(w, w.colleagueA);
      for (const [, u] of foreign(w)) await resetTotp(w, u);
    }
  },
};

describe.each(DIALECTS)('tenant segregation on %s', (dialect) => {
  let w: World;

  beforeAll(async () => {
    const t = await startTestApp(dialect);
    const f = factories(t);
    const login = async (role: 'requester' | 'agent' | 'manager', fields: Record<string, unknown>): Promise<Login> => {
      const u = await f.user(role, { password: PASSWORD, ...fields });
      return { ...u, email: (u as unknown as { email: string }).email };
    };
    const orgA = await f.organization();
    const orgB = await f.organization();
    const [personA, personB] = [await f.person(orgA.id), await f.person(orgB.id)];
    const ownA = await login('requester', { orgId: orgA.id, portalScope: 'own' });
    const colleagueA = await login('requester', { orgId: orgA.id, portalScope: 'own' });
    const orgWideA = await login('requester', { orgId: orgA.id, portalScope: 'organization' });
    const requesterB = await login('requester', { orgId: orgB.id });
    const agentA = await login('agent', { orgScope: [orgA.id] });
    const agentB = await login('agent', { orgScope: [orgB.id] });
    const managerB = await login('manager', { orgScope: [orgB.id] });
    const team = await f.team([agentA.id, agentB.id]);
    const service = await f.service();
    const calendar = (await f.admin.post('/api/v1/calendars', { name: 'Office', timezone: 'Europe/Paris', hours: [{ day: 1, start: '09:00', end: '17:00' }] })).body;
    const policyA = (await f.admin.post('/api/v1/sla-policies', { name: 'Only A', orgId: orgA.id, calendarId: calendar.id, targets: [{ priority: 3, ttoMinutes: 60, ttrMinutes: 480 }] })).body;

    const incA = await f.incident(colleagueA.as, { title: 'Imprimante bloquée zanzibar' });
    await f.admin.post(`/api/v1/incidents/${incA.id}/comments`, { body: 'Public answer for A', visibility: 'public' });
    await f.admin.post(`/api/v1/incidents/${incA.id}/comments`, { body: 'Internal note for A', visibility: 'internal' });
    const incOwn = await f.incident(ownA.as, { title: 'My own screen' });
    const incB = await f.incident(requesterB.as, { title: 'Réseau lent' });
    const tokenA = (await (await signIn(t.app, colleagueA.email, PASSWORD)).as.post('/api/v1/api-tokens', { name: 'A' })).body;
    // After the incidents, so that their SLA state is the same as before these policies existed.
    const targets = [{ priority: 3, ttoMinutes: 60, ttrMinutes: 480 }];
    const policyB = (await f.admin.post('/api/v1/sla-policies', { name: 'Only B', orgId: orgB.id, calendarId: calendar.id, targets })).body;
    const sharedPolicy = (await f.admin.post('/api/v1/sla-policies', { name: 'Shared', calendarId: calendar.id, targets })).body;
    w = {
      t, admin: f.admin, orgA, orgB, personA, personB, ownA, colleagueA, orgWideA, agentA, requesterB, agentB, managerB,
      incA: { id: incA.id, ref: incA.ref, title: 'Imprimante bloquée zanzibar' }, incOwn, incB, tokenA, team, service, calendar, policyA, policyB, sharedPolicy,
    };
  });
  afterAll(() => w?.t.close());

  it('every route of the API has a segregation case', async () => {
    const documented = await openApiRoutes(w.t.app);
    expect(documented.filter((route) => !(route in ROUTES)), 'routes without a case in ROUTES').toEqual([]);
    // Routes hidden from the document must not escape the table either.
    expect(registeredApiRoutes(w.t.app).filter((route) => !(route in ROUTES)), 'hidden routes without a case').toEqual([]);
  });

  it.for(Object.keys(ROUTES))('%s', async (route, { skip }) => {
    // A case may land before its route (parallel work); it runs once the route exists.
    if (!registeredApiRoutes(w.t.app).includes(route)) skip(`${route} is not registered`);
    await ROUTES[route]!(w);
  });
});

const identityProviders = new WeakMap<World, Promise<{ id: number }>>();
/** An identity provider of organization A (never contacted: the cases only configure and look it up). */
function identityProviderOfA(w: World): Promise<{ id: number }> {
  if (!identityProviders.has(w)) {
    identityProviders.set(
      w,
      w.admin
        .post('/api/v1/identity-providers', { name: 'Sign in as A', orgId: w.orgA.id, issuer: 'https://idp.a.invalid', clientId: 'a', clientSecret: 'secret-of-a', emailDomains: ['a-segregation.invalid'] })
        .then((res) => {
          expect(res.status, JSON.stringify(res.body)).toBe(201);
          return res.body;
        }),
    );
  }
  return identityProviders.get(w)!;
}

/** A manager whose scope is one organization, signed in with an API token. */
async function scopedManager(w: World, orgId: number): Promise<{ as: Client }> {
  const n = Math.random().toString(36).slice(2, 10);
  const user = await w.admin.post('/api/v1/users', { email: `manager-${n}@example.test`, name: `Manager ${n}`, role: 'manager', orgScope: [orgId] });
  expect(user.status).toBe(201);
  const token = newSecret('vigie');
  await insertApiToken(w.t.database.db, { userId: user.body.id, name: 'manager', hash: token.hash, at: new Date().toISOString() });
  return { as: client(w.t.app, token.secret) };
}

/**
 * Asserts the foreign id is answered exactly like an id that does not exist: 404 for the record of the
 * path (unless stated), 404 or 422 (an unknown reference) for an id given in the body.
 */
async function expectSameAsMissing(who: string, call: (id: number) => Promise<Reply>, foreignId: number, status: number | 'reference' = 404) {
  const [seen, missing] = [await call(foreignId), await call(MISSING)];
  if (status === 'reference') expect([404, 422], `${who} ${JSON.stringify(seen.body)}`).toContain(seen.status);
  expectProblem(seen, status === 'reference' ? seen.status : status, who);
  expect(seen.body, who).toEqual(missing.body);
}

/** A new session of the user (its cookie's value). */
async function signInAs(w: World, u: Login): Promise<string> {
  const res = await w.t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: PASSWORD } });
  expect(res.statusCode, u.email).toBe(200);
  return res.cookies.find((c) => c.name === 'vigie_session')!.value;
}

/** A client of a new session of the user (account security answers to sessions only). */
async function sessionClient(w: World, u: Login): Promise<Client> {
  return client(w.t.app, { session: await signInAs(w, u) });
}

/** Public ids of the sessions listed to the holder of `session` (only the current one with `currentOnly`). */
async function sessionIdsOf(w: World, session: string, currentOnly = false): Promise<string[]> {
  const res = await w.t.app.inject({ method: 'GET', url: '/api/v1/me/sessions', cookies: { vigie_session: session } });
  expect(res.statusCode).toBe(200);
  return (res.json().items as { id: string; current: boolean }[]).filter((s) => !currentOnly || s.current).map((s) => s.id);
}

/** 403 for an object shared by every organization, which the actor can read but not change. */
function expectProviderWide(res: Reply, who: string) {
  expectProblem(res, 403, who);
  expect(res.body.code, who).toBe('scope.provider_wide');
  expect(res.body.detail, who).toMatch(/only an admin or a manager of all organizations/);
}

function expectProblem(res: Reply, status: number, who = '') {
  expect(res.status, `${who} ${JSON.stringify(res.body)}`).toBe(status);
  expect(String(res.headers['content-type']), who).toMatch(/^application\/problem\+json/);
}

async function listAll(as: Client, url: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res: Reply = await as.get(`${url}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status, url).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** Uploads one small text file through multipart/form-data, as the holder of `token`. */
async function upload(w: World, token: string, incidentId: number, visibility: 'public' | 'internal', filename = 'planted.txt'): Promise<Reply> {
  const boundary = `----vigie${Math.random().toString(16).slice(2)}`;
  const payload = [
    `--${boundary}\r\nContent-Disposition: form-data; name="visibility"\r\n\r\n${visibility}\r\n`,
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\nhello\r\n`,
    `--${boundary}--\r\n`,
  ].join('');
  const res = await w.t.app.inject({
    method: 'POST',
    url: `/api/v1/incidents/${incidentId}/attachments`,
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers };
}

/** A public and an internal attachment of A's incident, uploaded by the admin. */
async function attachmentsOfA(w: World): Promise<[number, number]> {
  const ids: number[] = [];
  for (const visibility of ['public', 'internal'] as const) {
    const res = await upload(w, w.t.adminToken, w.incA.id, visibility, `${visibility}.txt`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids.push(res.body.items[0].id);
  }
  return ids as [number, number];
}

/** The base URL of the app, listening on a free port (SSE needs a real connection, not inject). */
async function listening(app: FastifyInstance): Promise<string> {
  const address = app.server.address();
  if (address && typeof address === 'object') return `http://127.0.0.1:${address.port}`;
  return app.listen({ port: 0, host: '127.0.0.1' });
}


async function openApiRoutes(app: FastifyInstance): Promise<string[]> {
  const doc = (await app.inject({ url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .filter((r) => r.includes(' /api/v1/'))
    .sort();
}

/** `METHOD /api/v1/...` of every registered route, read from Fastify's route tree. */
function registeredApiRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^(.*?)[└├]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (stack[depth - 1] ?? '') + m[2];
    stack[depth] = path;
    stack.length = depth + 1;
    const methods = (m[3] ?? '').split(',').map((s) => s.trim()).filter((s) => s && s !== 'HEAD') as Method[];
    if (path.startsWith('/api/v1/')) for (const method of methods) routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return routes.sort();
}

/** Turns TOTP on for a user (through a session of theirs); answers their recovery codes. */
async function enrolTotp(w: World, u: Login): Promise<string[]> {
  const me = await sessionClient(w, u);
  const { secret } = (await me.post('/api/v1/me/two-factor/totp')).body;
  const res = await me.post('/api/v1/me/two-factor/totp/confirm', { code: totpNow(secret) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.recoveryCodes;
}

/** Origin of app.inject() requests (Host: localhost:80), as a browser would name it in WebAuthn client data. */
const PASSKEY_ORIGIN = 'http://localhost';

/** Registers a passkey for the user through a new session: that session's client, the authenticator and the passkey id. */
async function addPasskey(w: World, u: Login) {
  const me = await sessionClient(w, u);
  const key = new SoftwareAuthenticator(PASSKEY_ORIGIN);
  const options = (await me.post('/api/v1/me/two-factor/passkeys/options')).body;
  const res = await me.post('/api/v1/me/two-factor/passkeys', { name: 'Key', response: key.register(options) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { me, key, id: res.body.passkey.id as number };
}

async function resetTotp(w: World, u: Login): Promise<void> {
  expect((await w.admin.delete(`/api/v1/users/${u.id}/two-factor`)).status).toBe(204);
}

function totpNow(secret: string): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret) });
}

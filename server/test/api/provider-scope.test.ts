import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { type Client, DIALECTS, type Reply, startTestApp, type TestApp } from '../test-app.ts';

/**
 * What applies to every organization — shared SLA policies, business calendars, teams, the service catalog, a
 * recompute of everything — is for admins and managers whose scope is all organizations. A manager scoped to A
 * keeps their writes and recomputes inside A (the attack: PATCH A's policy to `orgId: null`, recompute,
 * and organization C's open incidents get A's targets).
 */
const MISSING = 987_654;

describe.each(DIALECTS)('provider-wide configuration on %s', (dialect) => {
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let admin: Client;
  let orgA: { id: number };
  let orgC: { id: number };
  let scoped: Client;
  let global: Client;
  let calendar: { id: number };
  const targets = [{ priority: 3, ttoMinutes: 60, ttrMinutes: 480 }];

  beforeAll(async () => {
    t = await startTestApp(dialect);
    f = factories(t);
    admin = f.admin;
    [orgA, orgC] = [await f.organization(), await f.organization()];
    scoped = (await f.user('manager', { orgScope: [orgA.id] })).as;
    global = (await f.user('manager')).as;
    calendar = (await admin.post('/api/v1/calendars', { name: 'Office', timezone: 'Europe/Paris', hours: [{ day: 1, start: '09:00', end: '17:00' }] })).body;
  });
  afterAll(() => t?.close());

  function expectProviderWide(res: Reply, what: string) {
    expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(403);
    expect(String(res.headers['content-type']), what).toMatch(/^application\/problem\+json/);
    expect(res.body.code, what).toBe('scope.provider_wide');
    expect(res.body.detail, what).toMatch(/shared by every organization: only an admin or a manager of all organizations may change it/);
  }

  it('a scoped manager manages the policies of their organizations, before and after the change', async () => {
    const mine = await scoped.post('/api/v1/sla-policies', { name: 'A only', orgId: orgA.id, calendarId: calendar.id, targets });
    expect(mine.status).toBe(201);
    expect((await scoped.patch(`/api/v1/sla-policies/${mine.body.id}`, { name: 'A, renamed' })).status).toBe(200);

    // The attack: turning A's policy into a shared one.
    expectProviderWide(await scoped.patch(`/api/v1/sla-policies/${mine.body.id}`, { orgId: null }), 'PATCH orgId null');
    // Moving it to an organization out of scope looks like an unknown organization.
    const toC = await scoped.patch(`/api/v1/sla-policies/${mine.body.id}`, { orgId: orgC.id });
    expect(toC.status).toBe(404);
    expect(toC.body).toEqual((await scoped.patch(`/api/v1/sla-policies/${mine.body.id}`, { orgId: MISSING })).body);
    expect((await admin.get(`/api/v1/sla-policies/${mine.body.id}`)).body).toMatchObject({ orgId: orgA.id, name: 'A, renamed', active: true });

    expect((await scoped.delete(`/api/v1/sla-policies/${mine.body.id}`)).status).toBe(200);
  });

  it('a scoped manager can neither create nor change a shared policy, which they can read', async () => {
    expectProviderWide(await scoped.post('/api/v1/sla-policies', { name: 'Everyone', calendarId: calendar.id, targets }), 'create without orgId');
    expectProviderWide(await scoped.post('/api/v1/sla-policies', { name: 'Everyone', orgId: null, calendarId: calendar.id, targets }), 'create with orgId null');
    const shared = (await admin.post('/api/v1/sla-policies', { name: 'Default', calendarId: calendar.id, targets })).body;
    expect((await scoped.get(`/api/v1/sla-policies/${shared.id}`)).status).toBe(200);
    expectProviderWide(await scoped.patch(`/api/v1/sla-policies/${shared.id}`, { targets: [{ priority: 3, ttoMinutes: 1, ttrMinutes: 2 }] }), 'PATCH shared');
    expectProviderWide(await scoped.patch(`/api/v1/sla-policies/${shared.id}`, { orgId: orgA.id }), 'taking over the shared policy');
    expectProviderWide(await scoped.delete(`/api/v1/sla-policies/${shared.id}`), 'DELETE shared');
    expect((await admin.get(`/api/v1/sla-policies/${shared.id}`)).body).toMatchObject({ orgId: null, targets, active: true });
    // A manager of all organizations may.
    expect((await global.patch(`/api/v1/sla-policies/${shared.id}`, { name: 'Default (all)' })).status).toBe(200);
    expect((await global.post('/api/v1/sla-policies', { name: 'Everyone too', calendarId: calendar.id, targets })).status).toBe(201);
  });

  it('another organization’s policy stays out of sight', async () => {
    const ofC = (await admin.post('/api/v1/sla-policies', { name: 'C only', orgId: orgC.id, calendarId: calendar.id, targets })).body;
    for (const call of [(id: number) => scoped.patch(`/api/v1/sla-policies/${id}`, { name: 'Mine' }), (id: number) => scoped.delete(`/api/v1/sla-policies/${id}`)]) {
      const [seen, missing] = [await call(ofC.id), await call(MISSING)];
      expect(seen.status).toBe(404);
      expect(seen.body).toEqual(missing.body);
    }
    const created = await scoped.post('/api/v1/sla-policies', { name: 'Planted', orgId: orgC.id, calendarId: calendar.id, targets });
    expect(created.status).toBe(404);
    expect(created.body).toEqual((await scoped.post('/api/v1/sla-policies', { name: 'Planted', orgId: MISSING, calendarId: calendar.id, targets })).body);
  });

  it('calendars, teams and the service catalog are for managers of all organizations', async () => {
    const hours = [{ day: 2, start: '08:00', end: '12:00' }];
    expectProviderWide(await scoped.post('/api/v1/calendars', { name: 'Mine', timezone: 'UTC', hours }), 'create calendar');
    expectProviderWide(await scoped.patch(`/api/v1/calendars/${calendar.id}`, { hours }), 'PATCH calendar');
    expectProviderWide(await scoped.delete(`/api/v1/calendars/${calendar.id}`), 'DELETE calendar');
    expect((await admin.get(`/api/v1/calendars/${calendar.id}`)).body).toMatchObject({ active: true, hours: [{ day: 1, start: '09:00', end: '17:00' }] });
    const team = await f.team();
    const service = await f.service();
    expectProviderWide(await scoped.post('/api/v1/teams', { name: 'Mine' }), 'create team');
    expectProviderWide(await scoped.patch(`/api/v1/teams/${team.id}`, { name: 'Mine' }), 'PATCH team');
    expectProviderWide(await scoped.delete(`/api/v1/teams/${team.id}`), 'DELETE team');
    expectProviderWide(await scoped.post('/api/v1/services', { name: 'Mine' }), 'create service');
    expectProviderWide(await scoped.patch(`/api/v1/services/${service.id}`, { name: 'Mine' }), 'PATCH service');
    expectProviderWide(await scoped.delete(`/api/v1/services/${service.id}`), 'DELETE service');
    // Who may not change them is refused before any lookup, so an unknown id answers the same; for who may, 404.
    for (const kind of ['teams', 'services', 'calendars']) {
      expectProviderWide(await scoped.patch(`/api/v1/${kind}/${MISSING}`, { name: 'Mine' }), `PATCH unknown ${kind}`);
      expect((await global.patch(`/api/v1/${kind}/${MISSING}`, { name: 'Mine' })).status, kind).toBe(404);
    }
    expect((await global.post('/api/v1/calendars', { name: 'Global', timezone: 'UTC', hours })).status).toBe(201);
    expect((await global.patch(`/api/v1/teams/${team.id}`, { name: 'Renamed by a global manager' })).status).toBe(200);
    expect((await global.patch(`/api/v1/services/${service.id}`, { name: 'Renamed by a global manager' })).status).toBe(200);
  });

  it('a scoped manager recomputes the open incidents of their organizations only', async () => {
    const t2 = await startTestApp(dialect);
    try {
      const g = factories(t2);
      const [a, c] = [await g.organization(), await g.organization()];
      const manager = (await g.user('manager', { orgScope: [a.id] })).as;
      const cal = (await g.admin.post('/api/v1/calendars', { name: 'Office', timezone: 'Europe/Paris', hours: [{ day: 1, start: '09:00', end: '17:00' }] })).body;
      // Open before any policy exists: no SLA until a recompute reaches them.
      const incA = await g.incident(g.admin, { orgId: a.id, impact: 3, urgency: 3 });
      const incC = await g.incident(g.admin, { orgId: c.id, impact: 3, urgency: 3 });
      const shared = (await g.admin.post('/api/v1/sla-policies', { name: 'Default', calendarId: cal.id, targets })).body;
      const policyOf = async (id: number) => (await g.admin.get(`/api/v1/incidents/${id}`)).body.slaPolicyId;

      expect((await manager.post('/api/v1/sla/recompute')).body).toEqual({ recomputed: 1 });
      expect(await policyOf(incA.id)).toBe(shared.id);
      expect(await policyOf(incC.id)).toBeNull();

      const [foreign, missing] = [await manager.post('/api/v1/sla/recompute', { orgId: c.id }), await manager.post('/api/v1/sla/recompute', { orgId: MISSING })];
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(missing.body);
      expect(await policyOf(incC.id)).toBeNull();

      expect((await g.admin.post('/api/v1/sla/recompute', { orgId: c.id })).body).toEqual({ recomputed: 1 });
      expect(await policyOf(incC.id)).toBe(shared.id);
      expect((await g.admin.post('/api/v1/sla/recompute')).body).toEqual({ recomputed: 2 });
    } finally {
      await t2.close();
    }
  });

  it('POST /sla/recompute has a body schema: optional, an object with `orgId` only', async () => {
    const post = (payload: string | undefined, contentType?: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/sla/recompute', headers: { authorization: `Bearer ${t.adminToken}`, ...(contentType && { 'content-type': contentType }) }, payload });
    expect((await post(undefined)).statusCode).toBe(200);
    expect((await post('{}', 'application/json')).statusCode).toBe(200);
    expect((await post(JSON.stringify({ orgId: orgA.id }), 'application/json')).statusCode).toBe(200);
    for (const [body, type] of [['{"everything":true}', 'application/json'], ['{"orgId":"A"}', 'application/json'], ['orgId=1', 'text/plain'], ['[]', 'application/json']] as const) {
      const res = await post(body, type);
      expect(res.statusCode, body).toBe(400);
      expect(res.headers['content-type'], body).toMatch(/^application\/problem\+json/);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { type Client, client, DIALECTS, startTestApp, type TestApp, testClock } from '../test-app.ts';

// Creation from every channel, references, reading by id or reference, and field edits (PATCH).
describe.each(DIALECTS)('incidents: creation and editing on %s', (dialect) => {
  const clock = testClock('2026-03-02T09:00:00.000Z');
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let org: { id: number };
  let otherOrg: { id: number };
  let requester: Awaited<ReturnType<ReturnType<typeof factories>['user']>>;
  let agent: typeof requester;
  let manager: typeof requester;
  let first: { id: number; ref: string };

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
    org = await f.organization();
    otherOrg = await f.organization();
    requester = await f.user('requester', { orgId: org.id });
    agent = await f.user('agent');
    manager = await f.user('manager');
    // The very first incident of this database, for the reference tests.
    first = await f.incident(agent.as, { orgId: org.id, title: 'First of all' });
  });
  afterAll(() => t?.close());

  const events = (id: number) =>
    t.database.db.selectFrom('events').select(['type', 'org_id', 'actor_id', 'payload']).where('aggregate_type', '=', 'incident').where('aggregate_id', '=', id).orderBy('id').execute();
  const timeline = (as: Client, id: number | string) => as.get(`/api/v1/incidents/${id}/timeline`).then((r) => r.body.items as any[]);

  describe('references and reading', () => {
    it('numbers references I-000001 sequentially', async () => {
      expect(first.ref).toBe('I-000001');
      const a = await f.incident(agent.as, { orgId: org.id });
      const b = await f.incident(requester.as, {});
      expect(b.id).toBe(a.id + 1);
      expect(a.ref).toBe(`I-${String(a.id).padStart(6, '0')}`);
      expect(b.ref).toBe(`I-${String(a.id + 1).padStart(6, '0')}`);
    });

    it('answers GET by id, by reference and by lowercase reference with the same incident', async () => {
      const byId = await agent.as.get(`/api/v1/incidents/${first.id}`);
      expect(byId.status).toBe(200);
      expect(byId.body).toMatchObject({ id: first.id, ref: 'I-000001', title: 'First of all', orgId: org.id });
      const byRef = await agent.as.get('/api/v1/incidents/I-000001');
      const byLower = await agent.as.get('/api/v1/incidents/i-000001');
      const byShortRef = await agent.as.get('/api/v1/incidents/I-1');
      expect(byRef.body).toEqual(byId.body);
      expect(byLower.body).toEqual(byId.body);
      expect(byShortRef.body).toEqual(byId.body);
    });

    it('answers 404 problem for an unknown incident and 400 for a malformed id', async () => {
      const missing = await agent.as.get('/api/v1/incidents/I-999999');
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toContain('application/problem+json');
      expect(missing.body).toMatchObject({ status: 404 });
      const malformed = await agent.as.get('/api/v1/incidents/X-12');
      expect(malformed.status).toBe(400);
      expect(malformed.headers['content-type']).toContain('application/problem+json');
    });

    it('hides other organizations’ incidents from requesters and scoped agents (404)', async () => {
      const foreign = await f.incident(agent.as, { orgId: otherOrg.id });
      const scoped = await f.user('agent', { orgScope: [org.id] });
      expect((await requester.as.get(`/api/v1/incidents/${foreign.id}`)).status).toBe(404);
      expect((await scoped.as.get(`/api/v1/incidents/${foreign.ref}`)).status).toBe(404);
      expect((await scoped.as.get(`/api/v1/incidents/${first.id}`)).status).toBe(200);
      // Creating for an organization outside the agent's scope does not reveal it either.
      expect((await scoped.as.post('/api/v1/incidents', { orgId: otherOrg.id, title: 'x' })).status).toBe(404);
    });

    it('requires authentication', async () => {
      const anonymous = client(t.app);
      expect((await anonymous.get(`/api/v1/incidents/${first.id}`)).status).toBe(401);
      expect((await anonymous.post('/api/v1/incidents', { title: 'x' })).status).toBe(401);
    });
  });

  describe('creation', () => {
    it.each(['portal', 'email', 'phone', 'api', 'monitoring'] as const)('logs an incident from the %s channel (agent)', async (channel) => {
      const res = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: `From ${channel}`, channel });
      expect(res.status).toBe(201);
      expect(res.headers.location).toBe(`/api/v1/incidents/${res.body.id}`);
      expect(res.body).toMatchObject({
        channel, status: 'new', orgId: org.id, callerId: null, title: `From ${channel}`, description: '',
        impact: 3, urgency: 3, priority: 3, priorityOverridden: false, createdById: agent.id,
        reportedAt: '2026-03-02T09:00:00.000Z', createdAt: '2026-03-02T09:00:00.000Z', updatedAt: '2026-03-02T09:00:00.000Z',
        teamId: null, agentId: null, parentId: null, childIds: [], reopenCount: 0, resolvedAt: null, closedAt: null,
      });
      const got = await agent.as.get(`/api/v1/incidents/${res.body.id}`);
      expect(got.body).toEqual(res.body);
    });

    it.each(['portal', 'email', 'api'] as const)('lets a requester log from the %s channel', async (channel) => {
      const res = await requester.as.post('/api/v1/incidents', { title: `Requester via ${channel}`, channel });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ channel, orgId: org.id, callerId: requester.personId });
      // Who logged it is for staff (a requester's answers leave it out).
      expect((await agent.as.get(`/api/v1/incidents/${res.body.id}`)).body.createdById).toBe(requester.id);
    });

    it.each(['phone', 'monitoring'] as const)('refuses the %s channel to a requester (422)', async (channel) => {
      const res = await requester.as.post('/api/v1/incidents', { title: 'x', channel });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['channel']);
    });

    it('implies a requester’s organization and caller, and defaults their channel to portal', async () => {
      const res = await requester.as.post('/api/v1/incidents', { title: 'Imprimante HS', description: 'Plus de toner' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ orgId: org.id, callerId: requester.personId, channel: 'portal', status: 'new', description: 'Plus de toner' });
      expect(requester.personId).not.toBeNull();
    });

    it('refuses a requester reporting for another organization or another person (422)', async () => {
      const foreignOrg = await requester.as.post('/api/v1/incidents', { title: 'x', orgId: otherOrg.id });
      expect(foreignOrg.status).toBe(422);
      expect(foreignOrg.body.errors).toEqual([expect.objectContaining({ path: 'orgId' })]);
      const someone = await f.person(org.id);
      const otherCaller = await requester.as.post('/api/v1/incidents', { title: 'x', callerId: someone.id });
      expect(otherCaller.status).toBe(422);
      expect(otherCaller.body.errors).toEqual([expect.objectContaining({ path: 'callerId' })]);
    });

    it('does not let a requester assign or link at creation (403)', async () => {
      const team = await f.team([agent.id]);
      expect((await requester.as.post('/api/v1/incidents', { title: 'x', teamId: team.id })).status).toBe(403);
      expect((await requester.as.post('/api/v1/incidents', { title: 'x', parentId: first.id })).status).toBe(403);
    });

    it('requires an agent to name the organization, or imply it by the caller', async () => {
      const none = await agent.as.post('/api/v1/incidents', { title: 'Whose?' });
      expect(none.status).toBe(422);
      expect(none.headers['content-type']).toContain('application/problem+json');
      expect(none.body.errors).toEqual([expect.objectContaining({ path: 'orgId' })]);

      const caller = await f.person(otherOrg.id);
      const implied = await agent.as.post('/api/v1/incidents', { title: 'Call from a user', callerId: caller.id, channel: 'phone' });
      expect(implied.status).toBe(201);
      expect(implied.body).toMatchObject({ orgId: otherOrg.id, callerId: caller.id, channel: 'phone' });

      const mismatch = await agent.as.post('/api/v1/incidents', { title: 'x', orgId: org.id, callerId: caller.id });
      expect(mismatch.status).toBe(422);
      expect(mismatch.body.errors).toEqual([expect.objectContaining({ path: 'callerId' })]);

      const unknownCaller = await agent.as.post('/api/v1/incidents', { title: 'x', callerId: 999_999 });
      expect(unknownCaller.status).toBe(422);
      expect(unknownCaller.body.errors).toEqual([expect.objectContaining({ path: 'callerId' })]);

      const unknownOrg = await agent.as.post('/api/v1/incidents', { title: 'x', orgId: 999_999 });
      expect(unknownOrg.status).toBe(422);
      expect(unknownOrg.body.errors).toEqual([expect.objectContaining({ path: 'orgId' })]);
    });

    it('defaults staff signed in to the console (a call being taken) to the phone channel', async () => {
      const password = 'agent-password-123';
      const user = (await f.user('agent', { password })) as unknown as { email: string };
      const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password } });
      const session = login.cookies.find((c) => c.name === 'vigie_session')!;
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', cookies: { vigie_session: session.value }, payload: { orgId: org.id, title: 'On the phone' } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ channel: 'phone', orgId: org.id });
    });

    it('defaults an API-token integration to the api channel', async () => {
      const res = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'From a script' });
      expect(res.body.channel).toBe('api');
    });

    it('answers 422 with every bad field path', async () => {
      const res = await agent.as.post('/api/v1/incidents', {
        orgId: org.id, title: 'x', serviceId: 999_999, teamId: 999_999, parentId: 999_999, reportedAt: '2026-03-02T10:00:00.000Z',
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ status: 422, title: 'Unprocessable Content' });
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['parentId', 'reportedAt', 'serviceId', 'teamId']);
    });

    it('answers 400 for schema errors: missing title, bad enum, out-of-range impact', async () => {
      const noTitle = await agent.as.post('/api/v1/incidents', { orgId: org.id, description: 'no title' });
      expect(noTitle.status).toBe(400);
      expect(noTitle.headers['content-type']).toContain('application/problem+json');
      expect(noTitle.body.errors.map((e: { path: string }) => e.path)).toContain('title');
      const blank = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: '   ' });
      expect(blank.status).toBe(400);
      expect(blank.body.errors.map((e: { path: string }) => e.path)).toContain('title');
      const bad = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'x', channel: 'fax', impact: 4, urgency: 0 });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['channel', 'impact', 'urgency']);
    });

    it('accepts reportedAt earlier than now and refuses it later than now', async () => {
      const earlier = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'Since last night', reportedAt: '2026-03-01T22:30:00+01:00' });
      expect(earlier.status).toBe(201);
      expect(earlier.body.reportedAt).toBe('2026-03-01T21:30:00.000Z');
      expect(earlier.body.createdAt).toBe('2026-03-02T09:00:00.000Z');
      const exactlyNow = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'Now', reportedAt: '2026-03-02T09:00:00.000Z' });
      expect(exactlyNow.status).toBe(201);
      const later = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'Tomorrow', reportedAt: '2026-03-02T09:00:01.000Z' });
      expect(later.status).toBe(422);
      expect(later.body.errors).toEqual([expect.objectContaining({ path: 'reportedAt' })]);
    });

    it('assigns at creation when a team or agent is given', async () => {
      const team = await f.team([agent.id]);
      const res = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'Pre-assigned', teamId: team.id, agentId: agent.id });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'assigned', teamId: team.id, agentId: agent.id });
      const outsider = await f.user('agent');
      const wrong = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'x', teamId: team.id, agentId: outsider.id });
      expect(wrong.status).toBe(422);
      expect(wrong.body.errors).toEqual([expect.objectContaining({ path: 'agentId' })]);
    });

    it('writes one incident.created event and one public created timeline entry in the same transaction', async () => {
      const res = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'Evented' });
      const evs = await events(res.body.id);
      expect(evs).toHaveLength(1);
      expect(evs[0]).toMatchObject({ type: 'incident.created', org_id: org.id, actor_id: agent.id });
      expect(JSON.parse(evs[0]!.payload)).toMatchObject({ id: res.body.id, ref: res.body.ref, title: 'Evented' });
      const staffEntries = await timeline(agent.as, res.body.id);
      expect(staffEntries).toEqual([
        expect.objectContaining({ kind: 'event', event: 'created', visibility: 'public', authorId: agent.id, changes: [{ field: 'status', from: null, to: 'new' }] }),
      ]);
    });

    it('writes nothing when creation is refused', async () => {
      const before = await t.database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const incidentsBefore = await t.database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'x', reportedAt: '2030-01-01T00:00:00Z' });
      await agent.as.post('/api/v1/incidents', { title: 'x' });
      const after = await t.database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const incidentsAfter = await t.database.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      expect(Number(incidentsAfter.n)).toBe(Number(incidentsBefore.n));
    });
  });

  describe('priority', () => {
    // The default matrix of DESIGN.md: rows impact 1..3, columns urgency 1..4.
    const DEFAULT = [
      [1, 1, 2, 4],
      [1, 2, 3, 4],
      [2, 3, 3, 4],
    ];
    const cells = DEFAULT.flatMap((row, i) => row.map((priority, u) => ({ impact: i + 1, urgency: u + 1, priority })));

    it.each(cells)('computes priority $priority from impact $impact × urgency $urgency', async ({ impact, urgency, priority }) => {
      const res = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'Matrix', impact, urgency });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ impact, urgency, priority, priorityOverridden: false, priorityReason: null });
    });

    it('uses an organization’s own priority matrix', async () => {
      const matrix = [
        [4, 4, 4, 4],
        [3, 3, 3, 3],
        [2, 2, 1, 1],
      ];
      const custom = await f.organization({ priorityMatrix: matrix });
      for (const [impact, urgency] of [[1, 1], [2, 4], [3, 3], [3, 1]] as const) {
        const res = await agent.as.post('/api/v1/incidents', { orgId: custom.id, title: 'Custom', impact, urgency });
        expect(res.body.priority).toBe(matrix[impact - 1]![urgency - 1]);
      }
    });

    it('recomputes the priority when impact or urgency changes', async () => {
      const inc = await f.incident(agent.as, { orgId: org.id, impact: 3, urgency: 3 });
      expect(inc.priority).toBe(3);
      const up = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { impact: 1 });
      expect(up.status).toBe(200);
      expect(up.body).toMatchObject({ impact: 1, urgency: 3, priority: 2 });
      const up2 = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { urgency: 1 });
      expect(up2.body).toMatchObject({ impact: 1, urgency: 1, priority: 1 });
      const entries = await timeline(agent.as, inc.id);
      const changes = entries.filter((e) => e.event === 'fields_changed').map((e) => e.changes);
      expect(changes[0]).toEqual(expect.arrayContaining([{ field: 'impact', from: 3, to: 1 }, { field: 'priority', from: 3, to: 2 }]));
      expect(changes[1]).toEqual(expect.arrayContaining([{ field: 'urgency', from: 3, to: 1 }, { field: 'priority', from: 2, to: 1 }]));
    });

    it('lets a manager override the priority with a reason; null returns to the matrix', async () => {
      const inc = await f.incident(agent.as, { orgId: org.id, impact: 3, urgency: 4 });
      expect(inc.priority).toBe(4);
      const override = await manager.as.patch(`/api/v1/incidents/${inc.id}`, { priority: 1, priorityReason: 'CEO laptop' });
      expect(override.status).toBe(200);
      expect(override.body).toMatchObject({ priority: 1, priorityOverridden: true, priorityReason: 'CEO laptop' });

      // The override survives a change of impact/urgency.
      const kept = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { urgency: 3 });
      expect(kept.body).toMatchObject({ urgency: 3, priority: 1, priorityOverridden: true });

      // An agent can neither hand it back to the matrix nor reword the manager's reason.
      expect((await agent.as.patch(`/api/v1/incidents/${inc.id}`, { priority: null })).status).toBe(403);
      expect((await agent.as.patch(`/api/v1/incidents/${inc.id}`, { priorityReason: 'not so urgent' })).status).toBe(403);

      const back = await manager.as.patch(`/api/v1/incidents/${inc.id}`, { priority: null });
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ priority: 3, priorityOverridden: false, priorityReason: null });

      const entries = await timeline(manager.as, inc.id);
      const overrideEntry = entries.find((e) => e.event === 'fields_changed' && e.changes.some((c: any) => c.field === 'priorityOverridden' && c.to === true));
      expect(overrideEntry).toMatchObject({ authorId: manager.id, visibility: 'internal' });
      expect(overrideEntry.changes).toEqual(expect.arrayContaining([{ field: 'priority', from: 4, to: 1 }, { field: 'priorityReason', from: null, to: 'CEO laptop' }]));
    });

    it('forbids an agent to override (403) and requires a reason (422)', async () => {
      const inc = await f.incident(agent.as, { orgId: org.id });
      const byAgent = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { priority: 1, priorityReason: 'Because' });
      expect(byAgent.status).toBe(403);
      expect(byAgent.headers['content-type']).toContain('application/problem+json');
      const noReason = await manager.as.patch(`/api/v1/incidents/${inc.id}`, { priority: 1 });
      expect(noReason.status).toBe(422);
      expect(noReason.body.errors).toEqual([expect.objectContaining({ path: 'priorityReason' })]);
      const outOfRange = await manager.as.patch(`/api/v1/incidents/${inc.id}`, { priority: 5, priorityReason: 'x' });
      expect(outOfRange.status).toBe(400);
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body).toMatchObject({ priority: 3, priorityOverridden: false });
    });
  });

  describe('PATCH', () => {
    it('assigns to a team then an agent: new → assigned, shown in the timeline', async () => {
      const team = await f.team([agent.id]);
      const inc = await f.incident(requester.as, {});
      clock.advance(60_000);
      const toTeam = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { teamId: team.id });
      expect(toTeam.status).toBe(200);
      expect(toTeam.body).toMatchObject({ status: 'assigned', teamId: team.id, agentId: null });
      expect(toTeam.body.updatedAt).toBe(clock.now().toISOString());
      const toAgent = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { agentId: agent.id });
      expect(toAgent.body).toMatchObject({ status: 'assigned', teamId: team.id, agentId: agent.id });

      const staff = await timeline(agent.as, inc.id);
      expect(staff.map((e) => e.event)).toEqual(['created', 'fields_changed', 'status_changed', 'fields_changed']);
      expect(staff[1]).toMatchObject({ authorId: agent.id, visibility: 'internal', changes: [{ field: 'teamId', from: null, to: team.id }] });
      expect(staff[2]).toMatchObject({ authorId: agent.id, visibility: 'public', changes: [{ field: 'status', from: 'new', to: 'assigned' }] });
      expect(staff[3]).toMatchObject({ changes: [{ field: 'agentId', from: null, to: agent.id }] });
      // The requester sees the status change, not the internal field changes.
      const mine = await timeline(requester.as, inc.id);
      expect(mine.map((e) => e.event)).toEqual(['created', 'status_changed']);
    });

    it('assigns straight to an agent without a team', async () => {
      const inc = await f.incident(agent.as, { orgId: org.id });
      const res = await manager.as.patch(`/api/v1/incidents/${inc.ref}`, { agentId: agent.id });
      expect(res.body).toMatchObject({ status: 'assigned', agentId: agent.id, teamId: null });
    });

    it('requires the agent to be a member of the team', async () => {
      const team = await f.team([manager.id]);
      const inc = await f.incident(agent.as, { orgId: org.id });
      const together = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { teamId: team.id, agentId: agent.id });
      expect(together.status).toBe(422);
      expect(together.body.errors).toEqual([expect.objectContaining({ path: 'agentId' })]);
      await agent.as.patch(`/api/v1/incidents/${inc.id}`, { teamId: team.id });
      const later = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { agentId: agent.id });
      expect(later.status).toBe(422);
      expect(later.body.errors).toEqual([expect.objectContaining({ path: 'agentId' })]);
      const member = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { agentId: manager.id });
      expect(member.status).toBe(200);
      expect(member.body).toMatchObject({ teamId: team.id, agentId: manager.id });
    });

    it('refuses to move the incident to a team its agent is not a member of', async () => {
      const teamA = await f.team([agent.id]);
      const teamB = await f.team([manager.id]);
      const inc = await f.incident(agent.as, { orgId: org.id, teamId: teamA.id, agentId: agent.id });
      const res = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { teamId: teamB.id });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'teamId' })]);
      const unassigned = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { teamId: teamB.id, agentId: null });
      expect(unassigned.body).toMatchObject({ teamId: teamB.id, agentId: null });
      const both = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { teamId: teamB.id, agentId: manager.id });
      expect(both.status).toBe(200);
      expect(both.body).toMatchObject({ teamId: teamB.id, agentId: manager.id });
    });

    it('refuses an agent who does not serve the organization, or a requester as agent', async () => {
      const scoped = await f.user('agent', { orgScope: [otherOrg.id] });
      const inc = await f.incident(agent.as, { orgId: org.id });
      const res = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { agentId: scoped.id });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'agentId' })]);
      const asAgent = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { agentId: requester.id });
      expect(asAgent.status).toBe(422);
      expect(asAgent.body.errors).toEqual([expect.objectContaining({ path: 'agentId' })]);
    });

    it('records title and description edits with from/to and who made them', async () => {
      const inc = await f.incident(agent.as, { orgId: org.id, title: 'Old title', description: 'Old text' });
      const res = await manager.as.patch(`/api/v1/incidents/${inc.id}`, { title: 'New title', description: 'New text' });
      expect(res.body).toMatchObject({ title: 'New title', description: 'New text', status: 'new' });
      const entries = await timeline(agent.as, inc.id);
      expect(entries.at(-1)).toMatchObject({
        event: 'fields_changed', authorId: manager.id, authorName: expect.any(String),
        changes: [{ field: 'title', from: 'Old title', to: 'New title' }, { field: 'description', from: 'Old text', to: 'New text' }],
      });
    });

    it('does not let a requester edit fields (403)', async () => {
      const inc = await f.incident(requester.as, {});
      const res = await requester.as.patch(`/api/v1/incidents/${inc.id}`, { title: 'Mine now' });
      expect(res.status).toBe(403);
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body.title).not.toBe('Mine now');
    });

    it('writes one incident.updated event per effective change and none for a no-op', async () => {
      const inc = await f.incident(agent.as, { orgId: org.id, title: 'Same' });
      await agent.as.patch(`/api/v1/incidents/${inc.id}`, { urgency: 1 });
      await agent.as.patch(`/api/v1/incidents/${inc.id}`, { title: 'Same' });
      const evs = await events(inc.id);
      expect(evs.map((e) => e.type)).toEqual(['incident.created', 'incident.updated']);
      expect(JSON.parse(evs[1]!.payload).changes).toEqual(expect.arrayContaining([{ field: 'urgency', from: 3, to: 1 }, { field: 'priority', from: 3, to: 2 }]));
    });

    it('makes a closed incident read-only (409)', async () => {
      const inc = await f.incident(agent.as, { orgId: org.id });
      await agent.as.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'resolved', resolutionCode: 'fixed', resolution: 'Done' });
      const closed = await agent.as.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'closed' });
      expect(closed.body.status).toBe('closed');
      const edit = await manager.as.patch(`/api/v1/incidents/${inc.id}`, { title: 'Too late' });
      expect(edit.status).toBe(409);
      expect(edit.headers['content-type']).toContain('application/problem+json');
      expect(edit.body).toMatchObject({ status: 409, code: 'incident.closed' });
      expect((await agent.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'hello' })).status).toBe(409);
      expect((await agent.as.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'in_progress' })).status).toBe(409);
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body.title).not.toBe('Too late');
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentStatus } from '../../../contract/incidents.ts';
import { factories } from '../factories.ts';
import { type Client, DIALECTS, startTestApp, type TestApp, testClock } from '../test-app.ts';

const STATUSES: IncidentStatus[] = ['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed'];
// The lifecycle of DESIGN.md, written out again here so that the API is checked against the document.
const ALLOWED: Record<IncidentStatus, IncidentStatus[]> = {
  new: ['assigned', 'in_progress', 'resolved'],
  assigned: ['in_progress', 'pending', 'resolved'],
  in_progress: ['pending', 'resolved'],
  pending: ['in_progress'],
  resolved: ['in_progress', 'closed'],
  closed: [],
};
const RESOLVE = { to: 'resolved', resolutionCode: 'fixed', resolution: 'Cable plugged back in' } as const;

// Transitions, comments, the timeline as an audit trail, parent/child links and the outbox.
describe.each(DIALECTS)('incidents: lifecycle, comments and timeline on %s', (dialect) => {
  const clock = testClock('2026-03-02T09:00:00.000Z');
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let org: { id: number };
  let requester: Awaited<ReturnType<ReturnType<typeof factories>['user']>>;
  let agent: typeof requester;
  let agent2: typeof requester;
  let team: { id: number };

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
    org = await f.organization();
    requester = await f.user('requester', { orgId: org.id });
    agent = await f.user('agent');
    agent2 = await f.user('agent');
    team = await f.team([agent.id, agent2.id]);
  });
  afterAll(() => t?.close());

  const move = (as: Client, id: number | string, body: Record<string, unknown>) => as.post(`/api/v1/incidents/${id}/transitions`, body);
  const timeline = async (as: Client, id: number | string) => {
    const res = await as.get(`/api/v1/incidents/${id}/timeline`);
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };
  const events = (id: number) =>
    t.database.db.selectFrom('events').select(['type', 'actor_id', 'payload']).where('aggregate_type', '=', 'incident').where('aggregate_id', '=', id).orderBy('id').execute();

  /** An incident reported by the requester, brought to `status` by the agent. */
  async function incidentIn(status: IncidentStatus) {
    const inc = await f.incident(requester.as, {});
    const steps: Record<IncidentStatus, Record<string, unknown>[]> = {
      new: [],
      assigned: [{ to: 'assigned', teamId: team.id }],
      in_progress: [{ to: 'in_progress' }],
      pending: [{ to: 'in_progress' }, { to: 'pending', pendingReason: 'vendor' }],
      resolved: [RESOLVE],
      closed: [RESOLVE, { to: 'closed' }],
    };
    for (const step of steps[status]) {
      const res = await move(agent.as, inc.id, step);
      if (res.status !== 200) throw new Error(`${status}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return inc;
  }

  describe('transitions', () => {
    const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => ({ from, to, ok: ALLOWED[from].includes(to) })));

    it.each(pairs.filter((p) => p.ok))('allows $from → $to', async ({ from, to }) => {
      const inc = await incidentIn(from);
      const body = { to, pendingReason: 'customer', resolutionCode: 'workaround', resolution: 'Use the web mail meanwhile', ...(to === 'assigned' && { teamId: team.id }) };
      const res = await move(agent.as, inc.id, body);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(to);
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body.status).toBe(to);
    });

    it.each(pairs.filter((p) => !p.ok))('refuses $from → $to with 409 problem+json', async ({ from, to }) => {
      const inc = await incidentIn(from);
      const eventsBefore = (await events(inc.id)).length;
      const body = { to, pendingReason: 'customer', resolutionCode: 'fixed', resolution: 'Done', ...(to === 'assigned' && { teamId: team.id }) };
      const res = await move(agent.as, inc.id, body);
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 409, title: 'Conflict', type: expect.any(String), detail: expect.any(String) });
      expect(res.body.code).toBe(from === 'closed' && to !== 'assigned' ? 'incident.closed' : 'incident.invalid_transition');
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body.status).toBe(from);
      expect(await events(inc.id)).toHaveLength(eventsBefore);
    });

    it('refuses an unknown status with 400', async () => {
      const inc = await incidentIn('new');
      const res = await move(agent.as, inc.id, { to: 'done' });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['to']);
    });

    it('requires pendingReason to put an incident on hold (422) and records it', async () => {
      const inc = await incidentIn('in_progress');
      const missing = await move(agent.as, inc.id, { to: 'pending' });
      expect(missing.status).toBe(422);
      expect(missing.headers['content-type']).toContain('application/problem+json');
      expect(missing.body.errors).toEqual([expect.objectContaining({ path: 'pendingReason' })]);
      const bad = await move(agent.as, inc.id, { to: 'pending', pendingReason: 'lunch' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['pendingReason']);
      for (const reason of ['customer', 'vendor', 'change', 'other']) {
        const ok = await move(agent.as, inc.id, { to: 'pending', pendingReason: reason });
        expect(ok.body).toMatchObject({ status: 'pending', pendingReason: reason });
        const back = await move(agent.as, inc.id, { to: 'in_progress' });
        expect(back.body).toMatchObject({ status: 'in_progress', pendingReason: null });
      }
    });

    it('requires resolutionCode and resolution to resolve (422 with both paths)', async () => {
      const inc = await incidentIn('in_progress');
      const none = await move(agent.as, inc.id, { to: 'resolved' });
      expect(none.status).toBe(422);
      expect(none.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['resolution', 'resolutionCode']);
      const blank = await move(agent.as, inc.id, { to: 'resolved', resolutionCode: 'fixed', resolution: '   ' });
      expect(blank.status).toBe(422);
      expect(blank.body.errors.map((e: { path: string }) => e.path)).toEqual(['resolution']);
      const noCode = await move(agent.as, inc.id, { to: 'resolved', resolution: 'Done' });
      expect(noCode.body.errors.map((e: { path: string }) => e.path)).toEqual(['resolutionCode']);
      const badCode = await move(agent.as, inc.id, { to: 'resolved', resolutionCode: 'magic', resolution: 'Done' });
      expect(badCode.status).toBe(400);
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body).toMatchObject({ status: 'in_progress', resolvedAt: null });
    });

    it('requires a team or agent to assign (422)', async () => {
      const inc = await incidentIn('new');
      const res = await move(agent.as, inc.id, { to: 'assigned' });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'teamId' })]);
      const byAgent = await move(agent.as, inc.id, { to: 'assigned', agentId: agent2.id });
      expect(byAgent.body).toMatchObject({ status: 'assigned', agentId: agent2.id, teamId: null });
    });

    it('resolves at first contact: new → resolved, with resolvedAt and the resolution', async () => {
      const inc = await incidentIn('new');
      clock.advance(5 * 60_000);
      const res = await move(agent.as, inc.id, { to: 'resolved', resolutionCode: 'user_error', resolution: 'Caps Lock was on' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'resolved', resolutionCode: 'user_error', resolution: 'Caps Lock was on',
        resolvedAt: clock.now().toISOString(), updatedAt: clock.now().toISOString(), closedAt: null, reopenCount: 0,
      });
      // The resolution is shown to the customer.
      const mine = await timeline(requester.as, inc.id);
      expect(mine.at(-1)).toMatchObject({
        kind: 'event', event: 'status_changed', visibility: 'public', authorName: agent.name,
        changes: expect.arrayContaining([{ field: 'status', from: 'new', to: 'resolved' }, { field: 'resolution', from: null, to: 'Caps Lock was on' }]),
      });
    });

    it('counts reopenings and clears the previous resolution', async () => {
      const inc = await incidentIn('resolved');
      const first = await move(agent.as, inc.id, { to: 'in_progress' });
      expect(first.body).toMatchObject({ status: 'in_progress', reopenCount: 1, resolutionCode: null, resolution: null, resolvedAt: null });
      await move(agent.as, inc.id, RESOLVE);
      const second = await move(requester.as, inc.id, { to: 'in_progress' });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ status: 'in_progress' });
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body.reopenCount).toBe(2);
      const entries = await timeline(agent.as, inc.id);
      const reopen = entries.filter((e) => e.event === 'status_changed' && e.changes.some((c: any) => c.field === 'reopenCount'));
      expect(reopen.map((e) => e.changes.find((c: any) => c.field === 'reopenCount'))).toEqual([
        { field: 'reopenCount', from: 0, to: 1 },
        { field: 'reopenCount', from: 1, to: 2 },
      ]);
      expect(reopen[1].authorId).toBe(requester.id);
    });

    it('lets the requester confirm a resolution (resolved → closed)', async () => {
      const inc = await incidentIn('resolved');
      clock.advance(60_000);
      const res = await move(requester.as, inc.id, { to: 'closed' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'closed', closedAt: clock.now().toISOString() });
      const evs = await events(inc.id);
      expect(evs.at(-1)).toMatchObject({ type: 'incident.status_changed', actor_id: requester.id });
      expect(JSON.parse(evs.at(-1)!.payload)).toMatchObject({ from: 'resolved', to: 'closed' });
    });

    it.each([
      ['new', 'in_progress'],
      ['new', 'resolved'],
      ['new', 'assigned'],
      ['assigned', 'in_progress'],
      ['in_progress', 'pending'],
      ['in_progress', 'resolved'],
      ['pending', 'in_progress'],
    ] as const)('forbids the requester %s → %s (403)', async (from, to) => {
      const inc = await incidentIn(from);
      const res = await move(requester.as, inc.id, { to, pendingReason: 'customer', resolutionCode: 'fixed', resolution: 'Done myself', ...(to === 'assigned' && { teamId: team.id }) });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body.status).toBe(from);
    });

    it('makes the agent who takes an incident its agent (in_progress)', async () => {
      const fresh = await incidentIn('new');
      const taken = await move(agent2.as, fresh.id, { to: 'in_progress' });
      expect(taken.body).toMatchObject({ status: 'in_progress', agentId: agent2.id });

      const teamOnly = await incidentIn('assigned');
      expect((await agent.as.get(`/api/v1/incidents/${teamOnly.id}`)).body).toMatchObject({ teamId: team.id, agentId: null });
      const byTeamMember = await move(agent2.as, teamOnly.id, { to: 'in_progress' });
      expect(byTeamMember.body).toMatchObject({ status: 'in_progress', teamId: team.id, agentId: agent2.id });
      const entries = await timeline(agent.as, teamOnly.id);
      expect(entries.at(-1).changes).toEqual(expect.arrayContaining([{ field: 'status', from: 'assigned', to: 'in_progress' }, { field: 'agentId', from: null, to: agent2.id }]));

      const onBehalf = await incidentIn('new');
      const named = await move(agent.as, onBehalf.id, { to: 'in_progress', agentId: agent2.id });
      expect(named.body).toMatchObject({ status: 'in_progress', agentId: agent2.id });
    });

    it('validates the agent named when taking an incident (422, nothing changed)', async () => {
      const inc = await incidentIn('new');
      for (const agentId of [999_999, requester.id]) {
        const res = await move(agent.as, inc.id, { to: 'in_progress', agentId });
        expect(res.status).toBe(422);
        expect(res.body.errors).toEqual([expect.objectContaining({ path: 'agentId' })]);
      }
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body).toMatchObject({ status: 'new', agentId: null });
    });

    it('adds the optional comment of a transition as a public reply', async () => {
      const inc = await incidentIn('in_progress');
      await move(agent.as, inc.id, { ...RESOLVE, comment: 'Try again now please' });
      const mine = await timeline(requester.as, inc.id);
      expect(mine.at(-1)).toMatchObject({ kind: 'reply', visibility: 'public', body: 'Try again now please', authorName: agent.name });
    });

    it('takes a pending incident back to in_progress when the requester replies', async () => {
      const inc = await incidentIn('pending');
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body).toMatchObject({ status: 'pending', pendingReason: 'vendor' });
      // A staff note does not.
      await agent.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'Vendor called', visibility: 'internal' });
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body.status).toBe('pending');
      clock.advance(60_000);
      const reply = await requester.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'Here is the screenshot' });
      expect(reply.status).toBe(201);
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body).toMatchObject({ status: 'in_progress', pendingReason: null, updatedAt: clock.now().toISOString() });
      const mine = await timeline(requester.as, inc.id);
      expect(mine.slice(-2)).toEqual([
        expect.objectContaining({ kind: 'reply', body: 'Here is the screenshot', authorName: requester.name }),
        expect.objectContaining({ kind: 'event', event: 'requester_replied', changes: expect.arrayContaining([{ field: 'status', from: 'pending', to: 'in_progress' }]) }),
      ]);
      // The status change reaches the outbox like any other.
      const evs = await events(inc.id);
      const changes = evs.filter((e) => e.type === 'incident.status_changed').map((e) => JSON.parse(e.payload));
      expect(changes.at(-1)).toMatchObject({ from: 'pending', to: 'in_progress' });
    });
  });

  describe('comments and timeline', () => {
    it('adds a public reply and an internal note', async () => {
      const inc = await incidentIn('new');
      const reply = await agent.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'We are on it', visibility: 'public' });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({ incidentId: inc.id, kind: 'reply', visibility: 'public', body: 'We are on it', authorId: agent.id, authorName: expect.any(String), createdAt: clock.now().toISOString() });
      const note = await agent.as.post(`/api/v1/incidents/${inc.ref}/comments`, { body: 'Looks like the switch', visibility: 'internal' });
      expect(note.body).toMatchObject({ kind: 'note', visibility: 'internal', body: 'Looks like the switch' });
      const byDefault = await agent.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'Public by default' });
      expect(byDefault.body).toMatchObject({ kind: 'reply', visibility: 'public' });
    });

    it('lets a requester reply publicly but not post internal notes (422)', async () => {
      const inc = await incidentIn('assigned');
      const internal = await requester.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'psst', visibility: 'internal' });
      expect(internal.status).toBe(422);
      expect(internal.body.errors).toEqual([expect.objectContaining({ path: 'visibility' })]);
      const pub = await requester.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'Still broken' });
      expect(pub.status).toBe(201);
      expect(pub.body).toMatchObject({ kind: 'reply', visibility: 'public', authorName: requester.name });
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body.status).toBe('assigned');
    });

    it('refuses an empty comment (400)', async () => {
      const inc = await incidentIn('new');
      const res = await agent.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: '  ' });
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body']);
    });

    it('shows the requester public entries only and the agent everything', async () => {
      const inc = await incidentIn('new');
      await agent.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'Public answer' });
      await agent.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'Secret note', visibility: 'internal' });
      await agent.as.patch(`/api/v1/incidents/${inc.id}`, { urgency: 2 });
      const all = await timeline(agent.as, inc.id);
      expect(all.map((e) => [e.kind, e.event, e.body])).toEqual([
        ['event', 'created', null],
        ['reply', null, 'Public answer'],
        ['note', null, 'Secret note'],
        ['event', 'fields_changed', null],
      ]);
      const mine = await timeline(requester.as, inc.id);
      expect(mine.map((e) => [e.kind, e.event, e.body])).toEqual([
        ['event', 'created', null],
        ['reply', null, 'Public answer'],
      ]);
      expect(mine.every((e) => e.visibility === 'public')).toBe(true);
    });

    it('is an audit trail: who changed what from what to what, oldest first', async () => {
      const inc = await incidentIn('new');
      const start = clock.now().getTime();
      const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
      clock.set(at(1));
      await agent.as.patch(`/api/v1/incidents/${inc.id}`, { title: 'Renamed', teamId: team.id });
      clock.set(at(2));
      await move(agent2.as, inc.id, { to: 'in_progress' });
      clock.set(at(3));
      await agent2.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'Checking', visibility: 'internal' });
      clock.set(at(4));
      await move(agent2.as, inc.id, { to: 'pending', pendingReason: 'customer' });

      const entries = await timeline(agent.as, inc.id);
      expect(entries.map((e) => e.createdAt)).toEqual([at(0), at(1), at(1), at(2), at(3), at(4)]);
      const ids = entries.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(entries.every((e) => e.incidentId === inc.id)).toBe(true);
      expect(entries[1]).toMatchObject({
        event: 'fields_changed', authorId: agent.id,
        changes: expect.arrayContaining([{ field: 'title', from: expect.stringMatching(/^Incident /), to: 'Renamed' }, { field: 'teamId', from: null, to: team.id }]),
      });
      expect(entries[2]).toMatchObject({ event: 'status_changed', authorId: agent.id, changes: [{ field: 'status', from: 'new', to: 'assigned' }] });
      expect(entries[3]).toMatchObject({ event: 'status_changed', authorId: agent2.id, changes: expect.arrayContaining([{ field: 'status', from: 'assigned', to: 'in_progress' }]) });
      expect(entries[4]).toMatchObject({ kind: 'note', authorId: agent2.id, body: 'Checking' });
      expect(entries[5]).toMatchObject({
        event: 'status_changed', authorId: agent2.id,
        changes: expect.arrayContaining([{ field: 'status', from: 'in_progress', to: 'pending' }, { field: 'pendingReason', from: null, to: 'customer' }]),
      });
    });

    it('paginates the timeline by cursor without duplicates or gaps', async () => {
      const inc = await incidentIn('new');
      for (let i = 1; i <= 6; i++) await agent.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: `Update ${i}`, visibility: i % 2 ? 'public' : 'internal' });
      const full = await timeline(agent.as, inc.id);
      expect(full).toHaveLength(7);
      for (const [as, expected] of [[agent.as, full], [requester.as, full.filter((e) => e.visibility === 'public')]] as const) {
        const seen: any[] = [];
        let cursor: string | null = null as string | null;
        let pages = 0;
        do {
          const res: { status: number; body: any } = await as.get(`/api/v1/incidents/${inc.id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
          expect(res.status).toBe(200);
          expect(res.body.items.length).toBeLessThanOrEqual(2);
          seen.push(...res.body.items);
          cursor = res.body.nextCursor;
          pages++;
        } while (cursor && pages < 20);
        expect(cursor).toBeNull();
        expect(seen.map((e) => e.id)).toEqual(expected.map((e) => e.id));
      }
      expect((await agent.as.get(`/api/v1/incidents/${inc.id}/timeline?limit=201`)).status).toBe(400);
      const bad = await agent.as.get(`/api/v1/incidents/${inc.id}/timeline?cursor=not-a-cursor`);
      expect(bad.status).toBeGreaterThanOrEqual(400);
      expect(bad.status).toBeLessThan(500);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    });

    it('answers 404 for the timeline and comments of an incident the requester may not see', async () => {
      const other = await f.incident(agent.as, { orgId: org.id });
      expect((await requester.as.get(`/api/v1/incidents/${other.id}/timeline`)).status).toBe(404);
      expect((await requester.as.post(`/api/v1/incidents/${other.id}/comments`, { body: 'hi' })).status).toBe(404);
      expect((await requester.as.post(`/api/v1/incidents/${other.id}/transitions`, { to: 'closed' })).status).toBe(404);
    });
  });

  describe('parent and children', () => {
    it('links children to a parent and lists them on the parent', async () => {
      const parent = await incidentIn('in_progress');
      const c1 = await incidentIn('new');
      const linked = await agent.as.patch(`/api/v1/incidents/${c1.id}`, { parentId: parent.id });
      expect(linked.status).toBe(200);
      expect(linked.body.parentId).toBe(parent.id);
      const c2 = await f.incident(agent.as, { orgId: org.id, parentId: parent.id });
      expect((await agent.as.get(`/api/v1/incidents/${parent.id}`)).body.childIds).toEqual([c1.id, c2.id]);
      const entries = await timeline(agent.as, c1.id);
      expect(entries.at(-1)).toMatchObject({ event: 'fields_changed', changes: [{ field: 'parentId', from: null, to: parent.id }] });

      const unlinked = await agent.as.patch(`/api/v1/incidents/${c1.id}`, { parentId: null });
      expect(unlinked.body.parentId).toBeNull();
      expect((await agent.as.get(`/api/v1/incidents/${parent.ref}`)).body.childIds).toEqual([c2.id]);
    });

    it('refuses an incident as its own parent, a child as a parent, and a parent as a child (422)', async () => {
      const parent = await incidentIn('new');
      const child = await f.incident(agent.as, { orgId: org.id, parentId: parent.id });
      const other = await incidentIn('new');
      const self = await agent.as.patch(`/api/v1/incidents/${parent.id}`, { parentId: parent.id });
      expect(self.status).toBe(422);
      expect(self.body.errors).toEqual([expect.objectContaining({ path: 'parentId' })]);
      const toChild = await agent.as.patch(`/api/v1/incidents/${other.id}`, { parentId: child.id });
      expect(toChild.status).toBe(422);
      expect(toChild.body.errors).toEqual([expect.objectContaining({ path: 'parentId' })]);
      const createToChild = await agent.as.post('/api/v1/incidents', { orgId: org.id, title: 'x', parentId: child.id });
      expect(createToChild.status).toBe(422);
      const parentAsChild = await agent.as.patch(`/api/v1/incidents/${parent.id}`, { parentId: other.id });
      expect(parentAsChild.status).toBe(422);
      expect(parentAsChild.body.errors).toEqual([expect.objectContaining({ path: 'parentId' })]);
      const closed = await incidentIn('closed');
      const toClosed = await agent.as.patch(`/api/v1/incidents/${other.id}`, { parentId: closed.id });
      expect(toClosed.status).toBe(422);
      expect((await agent.as.get(`/api/v1/incidents/${other.id}`)).body.parentId).toBeNull();
    });

    it('sends public replies on the parent to the children’s timelines, not internal notes', async () => {
      const parent = await incidentIn('in_progress');
      const child = await f.incident(requester.as, {});
      await agent.as.patch(`/api/v1/incidents/${child.id}`, { parentId: parent.id });
      await agent.as.post(`/api/v1/incidents/${parent.id}/comments`, { body: 'Network restored in building B', visibility: 'public' });
      await agent.as.post(`/api/v1/incidents/${parent.id}/comments`, { body: 'Root cause: the core switch', visibility: 'internal' });
      const mine = await timeline(requester.as, child.id);
      expect(mine.at(-1)).toMatchObject({ kind: 'reply', visibility: 'public', body: 'Network restored in building B', authorName: agent.name, event: 'parent_update' });
      const staff = await timeline(agent.as, child.id);
      expect(staff.some((e) => e.body === 'Root cause: the core switch')).toBe(false);
    });

    it('resolves the open children with the parent, and leaves the others alone', async () => {
      const parent = await incidentIn('in_progress');
      const kids = {
        fresh: await incidentIn('new'),
        working: await incidentIn('in_progress'),
        waiting: await incidentIn('pending'),
        done: await incidentIn('resolved'),
      };
      for (const kid of Object.values(kids)) await agent.as.patch(`/api/v1/incidents/${kid.id}`, { parentId: parent.id });
      const closedKid = await incidentIn('resolved');
      await agent.as.patch(`/api/v1/incidents/${closedKid.id}`, { parentId: parent.id });
      await move(agent.as, closedKid.id, { to: 'closed' });

      clock.advance(60_000);
      const res = await move(agent.as, parent.id, { to: 'resolved', resolutionCode: 'fixed', resolution: 'Core switch replaced' });
      expect(res.status).toBe(200);
      expect(res.body.childIds).toHaveLength(5);
      for (const kid of [kids.fresh, kids.working, kids.waiting]) {
        const got = (await agent.as.get(`/api/v1/incidents/${kid.id}`)).body;
        expect(got).toMatchObject({ status: 'resolved', resolutionCode: 'fixed', resolution: 'Core switch replaced', resolvedAt: clock.now().toISOString() });
        expect((await timeline(requester.as, kid.id)).at(-1)).toMatchObject({ event: 'resolved_with_parent', changes: expect.arrayContaining([{ field: 'status', from: expect.any(String), to: 'resolved' }]) });
        const evs = await events(kid.id);
        expect(evs.at(-1)!.type).toBe('incident.status_changed');
        expect(JSON.parse(evs.at(-1)!.payload)).toMatchObject({ to: 'resolved', parentId: parent.id });
      }
      expect((await agent.as.get(`/api/v1/incidents/${kids.done.id}`)).body).toMatchObject({ status: 'resolved', resolution: RESOLVE.resolution });
      expect((await agent.as.get(`/api/v1/incidents/${closedKid.id}`)).body.status).toBe('closed');
    });
  });

  describe('domain events (outbox)', () => {
    it('writes one event per state change, with the actor, in order', async () => {
      const inc = await f.incident(requester.as, {});
      expect((await events(inc.id)).map((e) => e.type)).toEqual(['incident.created']);
      await agent.as.patch(`/api/v1/incidents/${inc.id}`, { teamId: team.id });
      await move(agent.as, inc.id, { to: 'in_progress' });
      await agent.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'Note', visibility: 'internal' });
      await requester.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'Thanks' });
      await move(agent.as, inc.id, RESOLVE);
      const evs = await events(inc.id);
      expect(evs.map((e) => [e.type, e.actor_id])).toEqual([
        ['incident.created', requester.id],
        ['incident.updated', agent.id],
        ['incident.status_changed', agent.id],
        ['incident.commented', agent.id],
        ['incident.commented', requester.id],
        ['incident.status_changed', agent.id],
      ]);
      expect(JSON.parse(evs[1]!.payload).changes).toEqual(expect.arrayContaining([{ field: 'status', from: 'new', to: 'assigned' }]));
      expect(JSON.parse(evs[3]!.payload)).toMatchObject({ visibility: 'internal' });
      expect(JSON.parse(evs[5]!.payload)).toMatchObject({ from: 'in_progress', to: 'resolved' });
    });

    it('writes no event when a change is refused', async () => {
      const inc = await incidentIn('new');
      const before = (await events(inc.id)).length;
      await move(agent.as, inc.id, { to: 'pending', pendingReason: 'vendor' });
      await move(agent.as, inc.id, { to: 'resolved' });
      await requester.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'x', visibility: 'internal' });
      await agent.as.patch(`/api/v1/incidents/${inc.id}`, { agentId: 999_999 });
      expect(await events(inc.id)).toHaveLength(before);
    });
  });
});

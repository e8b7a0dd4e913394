import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCtx } from '../../src/app.ts';
import { processDueEscalations } from '../../src/sla/sla-escalation.service.ts';
import { factories } from '../factories.ts';
import { DIALECTS, startTestApp, testClock, type TestApp } from '../test-app.ts';
import { type LiveStream, openLiveStream } from '../support/live-stream.ts';

/**
 * Requesters' streams and answers carry nothing about what they cannot see: internal files and notes, other
 * people's incidents linked as parent or children. Scoped staff likewise see no link into other organizations.
 */
describe.each(DIALECTS)('disclosures on %s', (dialect) => {
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let orgA: { id: number };
  let orgB: { id: number };
  let ownA: Awaited<ReturnType<ReturnType<typeof factories>['user']>>;
  let colleagueA: typeof ownA;
  let orgWideA: typeof ownA;
  let agentA: typeof ownA;
  let agentB: typeof ownA;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    f = factories(t);
    [orgA, orgB] = [await f.organization(), await f.organization()];
    ownA = await f.user('requester', { orgId: orgA.id, portalScope: 'own' });
    colleagueA = await f.user('requester', { orgId: orgA.id, portalScope: 'own' });
    orgWideA = await f.user('requester', { orgId: orgA.id, portalScope: 'organization' });
    agentA = await f.user('agent', { orgScope: [orgA.id] });
    agentB = await f.user('agent', { orgScope: [orgB.id] });
  });
  afterAll(() => t?.close());

  it('a requester’s live stream gets nothing of internal files or notes; staff get both', async () => {
    const incident = await f.incident(ownA.as, { title: 'Scanner jams' });
    const base = await listening(t.app);
    const requester = await openLiveStream(`${base}/api/v1/live`, ownA.token);
    const agent = await openLiveStream(`${base}/api/v1/live`, agentA.token);
    try {
      // The streams start from the outbox's end once subscribed: wait until a public change reaches both.
      await until(async () => {
        await f.admin.post(`/api/v1/incidents/${incident.id}/comments`, { body: 'Warming up', visibility: 'public' });
        return [requester, agent].every((s) => s.messages.some((m) => m.type === 'incident.commented'));
      });
      // A first marker: once it is in, every warm-up reply before it is too.
      await f.admin.patch(`/api/v1/incidents/${incident.id}`, { title: 'Scanner jams (tray 2)' });
      await until(async () => requester.messages.some((m) => m.type === 'incident.updated'));
      const seen = requester.messages.findIndex((m) => m.type === 'incident.updated') + 1;
      expect((await upload(t, t.adminToken, incident.id, 'internal')).status).toBe(201);
      await f.admin.post(`/api/v1/incidents/${incident.id}/comments`, { body: 'Internal detail', visibility: 'internal' });
      // A public marker after them: events arrive in order, so once it is in, anything before it would be too.
      await f.admin.post(`/api/v1/incidents/${incident.id}/transitions`, { to: 'in_progress' });
      await until(async () => requester.messages.slice(seen).some((m) => m.type === 'incident.status_changed'));
      const before = requester.messages.slice(seen, requester.messages.findIndex((m, i) => i >= seen && m.type === 'incident.status_changed'));
      expect(before.map((m) => m.type)).toEqual([]);
      await until(async () => agent.messages.some((m) => m.type === 'incident.status_changed'));
      expect(agent.messages.map((m) => m.type)).toEqual(expect.arrayContaining(['incident.attachments_added', 'incident.commented']));

      // A public file does reach the requester.
      expect((await upload(t, t.adminToken, incident.id, 'public')).status).toBe(201);
      await until(async () => requester.messages.some((m) => m.type === 'incident.attachments_added'));
    } finally {
      requester.close();
      agent.close();
    }
  });

  describe('parent and children', () => {
    let parent: { id: number };
    let mine: { id: number };
    let colleagues: { id: number };
    let inB: { id: number };

    beforeAll(async () => {
      // A major incident of A's colleague, with a child of each requester of A and one of organization B.
      parent = await f.incident(colleagueA.as, { title: 'Whole floor offline' });
      mine = await f.incident(ownA.as, { title: 'My desk is offline' });
      colleagues = await f.incident(colleagueA.as, { title: 'Meeting room offline' });
      inB = await f.incident(f.admin, { orgId: orgB.id, title: 'Offline at B too' });
      for (const child of [mine, colleagues, inB]) {
        const res = await f.admin.patch(`/api/v1/incidents/${child.id}`, { parentId: parent.id });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
    });

    it('a requester sees only the parent and children they may see', async () => {
      const own = await ownA.as.get(`/api/v1/incidents/${mine.id}`);
      expect(own.body.parentId).toBeNull();
      expect((await ownA.as.get('/api/v1/incidents?limit=200')).body.items.find((i: { id: number }) => i.id === mine.id).parentId).toBeNull();
      expect((await ownA.as.get(`/api/v1/incidents?parentId=${parent.id}`)).body.items).toEqual([]);

      expect((await colleagueA.as.get(`/api/v1/incidents/${parent.id}`)).body.childIds).toEqual([colleagues.id]);
      expect((await colleagueA.as.get(`/api/v1/incidents/${colleagues.id}`)).body.parentId).toBe(parent.id);
      const listed = (await colleagueA.as.get('/api/v1/incidents?limit=200')).body.items.find((i: { id: number }) => i.id === parent.id);
      expect(listed.childIds).toEqual([colleagues.id]);
      expect((await colleagueA.as.get(`/api/v1/incidents?parentId=${parent.id}`)).body.items.map((i: { id: number }) => i.id)).toEqual([colleagues.id]);

      expect((await orgWideA.as.get(`/api/v1/incidents/${parent.id}`)).body.childIds).toEqual([mine.id, colleagues.id]);
    });

    it('a scoped agent’s refusal to link reads the same whether they see the link that forbids it or not', async () => {
      const inA = (title: string) => f.incident(f.admin, { orgId: orgA.id, title });
      const inB = (title: string) => f.incident(f.admin, { orgId: orgB.id, title });
      const link = async (child: { id: number }, to: { id: number }) => expect((await f.admin.patch(`/api/v1/incidents/${child.id}`, { parentId: to.id })).status).toBe(200);
      const target = await inA('Mail is slow');
      // A parent of a child agent A cannot see, one of a child they can, and a child of a parent they cannot see.
      const parentOfHidden = await inA('Printers offline');
      await link(await inB('Printers offline at B'), parentOfHidden);
      const parentOfVisible = await inA('Badges refused');
      await link(await inA('Badge refused at the gate'), parentOfVisible);
      const childOfHidden = await inA('Wi-Fi drops');
      await link(childOfHidden, await inB('Wi-Fi down at B'));
      expect((await agentA.as.get(`/api/v1/incidents/${parentOfHidden.id}`)).body.childIds).toEqual([]);
      expect((await agentA.as.get(`/api/v1/incidents/${childOfHidden.id}`)).body.parentId).toBeNull();

      const refusal = async (id: number, parentId: number) => {
        const res = await agentA.as.patch(`/api/v1/incidents/${id}`, { parentId });
        expect(res.status, JSON.stringify(res.body)).toBe(422);
        return res.body;
      };
      const hidden = await refusal(parentOfHidden.id, target.id);
      expect(hidden).toEqual(await refusal(parentOfVisible.id, target.id));
      expect(hidden).toEqual(await refusal(target.id, childOfHidden.id));
      expect((await agentA.as.post('/api/v1/incidents', { orgId: orgA.id, title: 'Also slow', parentId: childOfHidden.id })).body).toEqual(hidden);
      // The rule itself still holds for them: links stay one level deep.
      expect((await f.admin.get(`/api/v1/incidents/${parentOfHidden.id}`)).body.parentId).toBeNull();
    });

    it('scoped staff see no link into another organization', async () => {
      expect((await agentA.as.get(`/api/v1/incidents/${parent.id}`)).body.childIds).toEqual([mine.id, colleagues.id]);
      const updated = await agentA.as.patch(`/api/v1/incidents/${parent.id}`, { title: 'Whole floor offline (switch)' });
      expect(updated.body.childIds).toEqual([mine.id, colleagues.id]);
      expect((await agentB.as.get(`/api/v1/incidents/${inB.id}`)).body.parentId).toBeNull();
      expect((await agentB.as.get(`/api/v1/incidents?parentId=${parent.id}`)).body.items).toEqual([]);
      // Whoever serves every organization sees the whole tree.
      expect((await f.admin.get(`/api/v1/incidents/${parent.id}`)).body.childIds).toEqual([mine.id, colleagues.id, inB.id]);
      expect((await f.admin.get(`/api/v1/incidents/${inB.id}`)).body.parentId).toBe(parent.id);
    });
  });
});

/**
 * A requester's live stream tells of what changes their portal (the incident's status, title, description, priority,
 * resolution and public timeline) and of nothing else: not assignment, links, priority reasons, internal notes and
 * files, nor SLA escalations, whose timeline entries are internal.
 */
describe.each(DIALECTS)('a requester’s live stream on %s', (dialect) => {
  // Monday 2 March 2026, 09:00 in Paris: office hours.
  const clock = testClock('2026-03-02T08:00:00.000Z');
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let orgId: number;
  let requester: Awaited<ReturnType<ReturnType<typeof factories>['user']>>;
  let agent: typeof requester;
  let manager: typeof requester;
  let teams: { id: number }[];

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
    const hours = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));
    const calendar = await f.admin.post('/api/v1/calendars', { name: 'Office', timezone: 'Europe/Paris', hours });
    const targets = [1, 2, 3, 4].map((priority) => ({ priority, ttoMinutes: 30, ttrMinutes: 60 }));
    expect((await f.admin.post('/api/v1/sla-policies', { name: 'Tight', calendarId: calendar.body.id, targets, warnAtPercent: 50 })).status).toBe(201);
    orgId = (await f.organization({ maturityLevel: 2 })).id;
    requester = await f.user('requester', { orgId, portalScope: 'own' });
    agent = await f.user('agent');
    manager = await f.user('manager');
    teams = [await f.team([agent.id]), await f.team([agent.id])];
  });
  afterAll(() => t?.close());

  it('carries public changes only: no assignment, link, priority reason, internal note or file, nor SLA escalation', async () => {
    const incident = await f.incident(requester.as, { impact: 2, urgency: 2 });
    // Assigned to a team (new → assigned: a public status change) and given a priority by a manager, before listening.
    expect((await f.admin.patch(`/api/v1/incidents/${incident.id}`, { teamId: teams[0]!.id })).body.status).toBe('assigned');
    expect((await manager.as.patch(`/api/v1/incidents/${incident.id}`, { priority: 1, priorityReason: 'CEO' })).status).toBe(200);
    const base = await listening(t.app);
    const portal = await openLiveStream(`${base}/api/v1/live`, requester.token);
    const staff = await openLiveStream(`${base}/api/v1/live`, agent.token);
    try {
      // The streams start from the outbox's end once subscribed: the requester's own replies warm them up (a reply
      // of the service desk would own the incident, and stop its TTO clock).
      await until(async () => {
        expect((await requester.as.post(`/api/v1/incidents/${incident.id}/comments`, { body: 'Any news?', visibility: 'public' })).status).toBe(201);
        return [portal, staff].every((s) => s.messages.some((m) => m.type === 'incident.commented'));
      });
      // The last reply is the outbox's last event: what follows it is what this test does next.
      const last = await t.database.db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
      await until(async () => [portal, staff].every((s) => s.messages.some((m) => m.id === Number(last.id))));
      const after = (s: LiveStream) => s.messages.filter((m) => m.id > Number(last.id)).map((m) => m.type);

      // Unowned for two business hours: TTO and TTR warned and breached.
      clock.advance(2 * 60 * 60_000);
      expect(await processDueEscalations(buildCtx({ database: t.database, clock }))).toBe(4);
      const parent = await f.incident(f.admin, { orgId, title: 'Whole floor offline' });
      expect((await agent.as.patch(`/api/v1/incidents/${incident.id}`, { agentId: agent.id })).body.status).toBe('assigned');
      expect((await f.admin.patch(`/api/v1/incidents/${incident.id}`, { teamId: teams[1]!.id })).status).toBe(200);
      expect((await manager.as.patch(`/api/v1/incidents/${incident.id}`, { priorityReason: 'CEO, board meeting at noon' })).status).toBe(200);
      expect((await f.admin.patch(`/api/v1/incidents/${incident.id}`, { parentId: parent.id })).status).toBe(200);
      expect((await agent.as.post(`/api/v1/incidents/${incident.id}/comments`, { body: 'Looks like the switch', visibility: 'internal' })).status).toBe(201);
      expect((await upload(t, agent.token, incident.id, 'internal')).status).toBe(201);

      // A public change after them: events arrive in order, so once it is in, anything before it would be too.
      expect((await agent.as.post(`/api/v1/incidents/${incident.id}/transitions`, { to: 'in_progress' })).status).toBe(200);
      await until(async () => after(portal).includes('incident.status_changed'));
      expect(after(portal)).toEqual(['incident.status_changed']);
      // Staff were told of each of them.
      await until(async () => after(staff).includes('incident.status_changed'));
      expect(after(staff)).toEqual([
        'sla.tto_warning', 'sla.tto_breached', 'sla.ttr_warning', 'sla.ttr_breached', 'incident.created',
        'incident.updated', 'incident.updated', 'incident.updated', 'incident.updated', 'incident.commented', 'incident.attachments_added', 'incident.status_changed',
      ]);

      // A public reply, and a priority the portal shows, do reach the requester.
      expect((await agent.as.post(`/api/v1/incidents/${incident.id}/comments`, { body: 'Replacing the switch', visibility: 'public' })).status).toBe(201);
      expect((await manager.as.patch(`/api/v1/incidents/${incident.id}`, { priority: 2, priorityReason: 'Meeting moved' })).status).toBe(200);
      await until(async () => after(portal).includes('incident.updated'));
      expect(after(portal)).toEqual(['incident.status_changed', 'incident.commented', 'incident.updated']);
      expect(portal.messages.every((m) => m.incidentId === incident.id)).toBe(true);
    } finally {
      portal.close();
      staff.close();
    }
  });
});

/** Fields only staff are given (the contract marks them "Staff only: absent for requesters"). */
const STAFF_ONLY = [
  'priorityOverridden', 'priorityReason', 'ciIds', 'teamId', 'agentId', 'problemId', 'resolutionCode', 'reopenCount', 'createdById',
  'lastCustomerUpdateAt', 'slaPolicyId', 'ttoDueAt', 'ttrDueAt', 'ttoMetAt', 'ttoWarned', 'ttoBreached', 'ttrWarned', 'ttrBreached',
  'slaPaused', 'slaPausedMinutes',
];
/** The staff-only fields an answer carries. */
const staffFieldsOf = (incident: Record<string, unknown>) => STAFF_ONLY.filter((k) => k in incident);

/**
 * A requester's answers carry nothing of what only staff see: assignment, the priority override and its reason, the
 * resolution code, counters, who logged it, SLA clocks; in timelines and files, no user id and no change of those fields.
 */
describe.each(DIALECTS)('a requester’s answers on %s', (dialect) => {
  const clock = testClock('2026-03-02T08:00:00.000Z');
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let requester: Awaited<ReturnType<ReturnType<typeof factories>['user']>>;
  let agent: typeof requester;
  let manager: typeof requester;
  let team: { id: number };
  let incident: { id: number; ref: string };

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
    const hours = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));
    const calendar = await f.admin.post('/api/v1/calendars', { name: 'Office', timezone: 'Europe/Paris', hours });
    const targets = [1, 2, 3, 4].map((priority) => ({ priority, ttoMinutes: 60, ttrMinutes: 480 }));
    expect((await f.admin.post('/api/v1/sla-policies', { name: 'Standard', calendarId: calendar.body.id, targets, warnAtPercent: 75 })).status).toBe(201);
    const orgId = (await f.organization({ maturityLevel: 2 })).id;
    requester = await f.user('requester', { orgId, portalScope: 'own' });
    agent = await f.user('agent');
    manager = await f.user('manager');
    team = await f.team([agent.id]);
  });
  afterAll(() => t?.close());

  it('create, get and list: none of the staff-only fields for the requester, all of them for staff', async () => {
    const created = await requester.as.post('/api/v1/incidents', { title: 'Printer jams', description: 'Tray 2', urgency: 2 });
    expect(created.status).toBe(201);
    expect(staffFieldsOf(created.body)).toEqual([]);
    expect(created.body).toMatchObject({ ref: expect.stringMatching(/^I-\d{6}$/), title: 'Printer jams', status: 'new', priority: expect.any(Number) });
    incident = created.body;

    // Staff assign it, override its priority with a reason, and own it: now every staff-only field has a value.
    expect((await agent.as.patch(`/api/v1/incidents/${incident.id}`, { teamId: team.id, agentId: agent.id })).status).toBe(200);
    const override = await manager.as.patch(`/api/v1/incidents/${incident.id}`, { priority: 1, priorityReason: 'CEO, board meeting at noon' });
    expect(override.status).toBe(200);
    expect(staffFieldsOf(override.body)).toEqual(STAFF_ONLY);
    expect(override.body).toMatchObject({ teamId: team.id, agentId: agent.id, priorityReason: 'CEO, board meeting at noon', slaPolicyId: expect.any(Number) });

    const got = await requester.as.get(`/api/v1/incidents/${incident.ref}`);
    expect(got.status).toBe(200);
    expect(staffFieldsOf(got.body)).toEqual([]);
    expect(got.body).toMatchObject({ ref: incident.ref, status: 'assigned', priority: 1, title: 'Printer jams', description: 'Tray 2' });
    const listed = await requester.as.get('/api/v1/incidents?limit=200');
    expect(listed.body.items.map((i: { id: number }) => i.id)).toEqual([incident.id]);
    expect(staffFieldsOf(listed.body.items[0])).toEqual([]);

    expect(staffFieldsOf((await agent.as.get(`/api/v1/incidents/${incident.id}`)).body)).toEqual(STAFF_ONLY);
    const staffList = await agent.as.get('/api/v1/incidents?limit=200');
    expect(staffFieldsOf(staffList.body.items.find((i: { id: number }) => i.id === incident.id))).toEqual(STAFF_ONLY);
  });

  it('a requester’s list cannot be filtered or sorted by what they are not given (400), staff’s can', async () => {
    for (const query of [`agentId=${agent.id}`, `teamId=${team.id}`, 'unassigned=true', 'unassigned=false', 'sort=ttrDueAt', 'sort=-ttrDueAt']) {
      const res = await requester.as.get(`/api/v1/incidents?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([query.split('=')[0]]);
      expect((await agent.as.get(`/api/v1/incidents?${query}`)).status, query).toBe(200);
    }
    // What the portal asks for still answers.
    const portal = await requester.as.get(`/api/v1/incidents?callerId=${requester.personId}&status=new,assigned,in_progress,pending,resolved&sort=-updatedAt&limit=50`);
    expect(portal.body.items.map((i: { id: number }) => i.id)).toEqual([incident.id]);
  });

  it('transitions: the requester’s answer leaves them out, the agent’s carries them; edits are for staff', async () => {
    expect((await agent.as.post(`/api/v1/incidents/${incident.id}/transitions`, { to: 'in_progress' })).status).toBe(200);
    const resolved = await agent.as.post(`/api/v1/incidents/${incident.id}/transitions`, { to: 'resolved', resolutionCode: 'user_error', resolution: 'Paper loaded the right way' });
    expect(resolved.status).toBe(200);
    expect(staffFieldsOf(resolved.body)).toEqual(STAFF_ONLY);

    const reopened = await requester.as.post(`/api/v1/incidents/${incident.id}/transitions`, { to: 'in_progress', comment: 'Still jams' });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(staffFieldsOf(reopened.body)).toEqual([]);
    expect(reopened.body).toMatchObject({ status: 'in_progress', resolution: null });

    // A requester cannot edit: the refusal carries no incident.
    const edit = await requester.as.patch(`/api/v1/incidents/${incident.id}`, { title: 'Printer jams again' });
    expect(edit.status).toBe(403);
    expect(staffFieldsOf(edit.body)).toEqual([]);
    expect(edit.body).not.toHaveProperty('ref');
  });

  it('timeline, replies and files: no user id, and no change of a staff-only field, for the requester', async () => {
    const reply = await requester.as.post(`/api/v1/incidents/${incident.id}/comments`, { body: 'Here is a photo', visibility: 'public' });
    expect(reply.status).toBe(201);
    expect(reply.body).not.toHaveProperty('authorId');
    expect(reply.body.authorName).toBe(requester.name);
    expect((await upload(t, requester.token, incident.id, 'public')).body.items[0]).not.toHaveProperty('uploadedById');
    expect((await upload(t, agent.token, incident.id, 'public')).body.items[0]).toHaveProperty('uploadedById', agent.id);

    const seen = (await requester.as.get(`/api/v1/incidents/${incident.id}/timeline`)).body.items as TimelineItem[];
    expect(seen.filter((e) => 'authorId' in e)).toEqual([]);
    const fields = new Set(seen.flatMap((e) => (e.changes ?? []).map((c) => c.field)));
    expect([...fields].filter((field) => STAFF_ONLY.includes(field))).toEqual([]);
    // What the portal shows of them stays: who answered, and the status changes with the resolution text.
    expect(seen.some((e) => e.authorName === agent.name)).toBe(true);
    expect(fields).toEqual(new Set(['status', 'resolution', 'resolvedAt', 'attachment']));
    expect(seen.flatMap((e) => e.attachments).filter((a) => 'uploadedById' in a)).toEqual([]);
    const files = await requester.as.get(`/api/v1/incidents/${incident.id}/attachments`);
    expect(files.body.items).toHaveLength(2);
    expect(files.body.items.filter((a: object) => 'uploadedById' in a)).toEqual([]);

    // Staff see every author id and every change: who took it, the resolution code, the reopen counter.
    const staff = (await agent.as.get(`/api/v1/incidents/${incident.id}/timeline`)).body.items as TimelineItem[];
    expect(staff.every((e) => 'authorId' in e)).toBe(true);
    const staffFields = new Set(staff.flatMap((e) => (e.changes ?? []).map((c) => c.field)));
    expect(['agentId', 'teamId', 'resolutionCode', 'reopenCount', 'priorityReason'].filter((field) => !staffFields.has(field))).toEqual([]);
    expect((await agent.as.get(`/api/v1/incidents/${incident.id}/attachments`)).body.items.every((a: object) => 'uploadedById' in a)).toBe(true);
  });
});

interface TimelineItem {
  authorName: string | null;
  changes: { field: string }[] | null;
  attachments: object[];
}

async function listening(app: FastifyInstance): Promise<string> {
  const address = app.server.address();
  if (address && typeof address === 'object') return `http://127.0.0.1:${address.port}`;
  return app.listen({ port: 0, host: '127.0.0.1' });
}


/** Retries `check` until it holds (bounded): live updates arrive after a poll of the outbox. */
async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function upload(t: TestApp, token: string, incidentId: number, visibility: 'public' | 'internal') {
  const boundary = 'vigieDisclosure';
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/incidents/${incidentId}/attachments`,
    headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `--${boundary}\r\nContent-Disposition: form-data; name="visibility"\r\n\r\n${visibility}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${visibility}.txt"\r\nContent-Type: text/plain\r\n\r\nfile\r\n--${boundary}--\r\n`,
  });
  return { status: res.statusCode, body: res.json() };
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCtx } from '../../src/app.ts';
import * as slaHistoryMigration from '../../src/db/migrations/2026-11-29T02-sla-history.ts';
import { OPEN_STATUSES } from '../../src/incidents/incident-lifecycle.ts';
import { processDueEscalations } from '../../src/sla/sla-escalation.service.ts';
import { recomputeStaleIncidents } from '../../src/sla/sla-recompute.service.ts';
import { JOBS } from '../../src/workers/scheduler.ts';
import { factories } from '../factories.ts';
import { DIALECTS, startTestApp, testClock, type TestApp } from '../test-app.ts';

const MIN = 60_000;
// Monday 19 January 2026, 09:00 UTC: six weeks before the SLA policy exists.
const T0 = Date.parse('2026-01-19T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
const SLA_KEYS = ['slaPolicyId', 'ttoDueAt', 'ttrDueAt', 'ttoMetAt', 'ttoWarned', 'ttoBreached', 'ttrWarned', 'ttrBreached', 'slaPaused', 'slaPausedMinutes'] as const;
const slaOf = (i: Record<string, unknown>) => Object.fromEntries(SLA_KEYS.map((k) => [k, i[k]]));

describe.each(DIALECTS)('SLA state from the incident history on %s', (dialect) => {
  const clock = testClock(at(0));
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let orgId: number;
  let agent: Awaited<ReturnType<typeof f.user>>;
  let manager: Awaited<ReturnType<typeof f.user>>;
  let requester: Awaited<ReturnType<typeof f.user>>;
  let policyId: number;
  const ids = {} as Record<'assigned' | 'taken' | 'answered' | 'unowned' | 'createdOwned', number>;
  const get = async (id: number) => (await agent.as.get(`/api/v1/incidents/${id}`)).body;
  const escalate = () => processDueEscalations(buildCtx({ database: t.database, clock }));
  const slaEntries = async (id: number) => {
    const rows = await t.database.db.selectFrom('timeline_entries').select(['event', 'changes']).where('incident_id', '=', id).where('event', 'like', 'sla_%').orderBy('id').execute();
    return rows.map((r) => ({ event: r.event, at: (JSON.parse(r.changes!) as { to: string }[])[0]!.to }));
  };
  const newIncidentIn = async (org: number) => (await f.incident(agent.as, { orgId: org, callerId: (await f.person(org)).id, impact: 2, urgency: 2 })).id;

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
    orgId = (await f.organization({ maturityLevel: 2 })).id;
    agent = await f.user('agent');
    manager = await f.user('manager');
    requester = await f.user('requester', { orgId });

    // Weeks before any SLA policy: incidents owned in the four ways, one never owned, one paused twice.
    const report = () => f.incident(requester.as, { impact: 2, urgency: 2 });
    ids.assigned = (await report()).id;
    ids.taken = (await report()).id;
    ids.answered = (await report()).id;
    ids.unowned = (await report()).id;
    ids.createdOwned = (await f.incident(agent.as, { orgId, callerId: requester.personId, impact: 2, urgency: 2, agentId: agent.id })).id;
    clock.set(at(5));
    expect((await agent.as.post(`/api/v1/incidents/${ids.answered}/comments`, { body: 'We are looking into it', visibility: 'public' })).status).toBe(201);
    clock.set(at(10));
    expect((await agent.as.patch(`/api/v1/incidents/${ids.assigned}`, { agentId: agent.id })).status).toBe(200);
    clock.set(at(20));
    expect((await agent.as.post(`/api/v1/incidents/${ids.taken}/transitions`, { to: 'in_progress' })).status).toBe(200);
    clock.set(at(30));
    expect((await agent.as.post(`/api/v1/incidents/${ids.taken}/transitions`, { to: 'pending', pendingReason: 'customer' })).status).toBe(200);
    clock.set(at(90));
    expect((await requester.as.post(`/api/v1/incidents/${ids.taken}/comments`, { body: 'Here it is' })).status).toBe(201);
    clock.set(at(100));
    expect((await agent.as.post(`/api/v1/incidents/${ids.taken}/transitions`, { to: 'pending', pendingReason: 'vendor' })).status).toBe(200);
    clock.set(at(100 + 1440));
    expect((await agent.as.post(`/api/v1/incidents/${ids.taken}/transitions`, { to: 'in_progress' })).status).toBe(200);
    for (const id of Object.values(ids)) expect((await get(id)).slaPolicyId).toBeNull();

    // 36 days later the provider adopts SLAs, around the clock, and applies them to open incidents.
    clock.set(at(36 * 1440));
    const hours = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' }));
    const calendar = await f.admin.post('/api/v1/calendars', { name: 'Around the clock', timezone: 'UTC', hours, holidays: [] });
    expect(calendar.status).toBe(201);
    const policy = await manager.as.post('/api/v1/sla-policies', {
      name: 'Standard',
      calendarId: calendar.body.id,
      targets: [1, 2, 3, 4].map((priority) => ({ priority, ttoMinutes: 30, ttrMinutes: 480 })),
      pauseWhen: ['customer', 'vendor'],
    });
    expect(policy.status).toBe(201);
    policyId = policy.body.id;
    const applied = await manager.as.post('/api/v1/sla/recompute');
    expect(applied.body).toEqual({ recomputed: 5 });
    await escalate();
  });
  afterAll(() => t?.close());

  it('meets TTO at the first ownership made weeks before the policy, not "overdue by 36 days"', async () => {
    const expected: [keyof typeof ids, string | null][] = [
      ['createdOwned', at(0)], ['answered', at(5)], ['assigned', at(10)], ['taken', at(20)], ['unowned', null],
    ];
    for (const [name, ttoMetAt] of expected) {
      const i = await get(ids[name]);
      expect(i, name).toMatchObject({ slaPolicyId: policyId, ttoDueAt: at(30), ttoMetAt, ttoBreached: ttoMetAt === null, ttrBreached: true });
    }
  });

  it('counts the pauses of the status history with the policy, whenever it came', async () => {
    expect(await get(ids.taken)).toMatchObject({ slaPausedMinutes: 60 + 1440, slaPaused: false, ttrDueAt: at(480 + 60 + 1440) });
    expect(await get(ids.assigned)).toMatchObject({ slaPausedMinutes: 0, ttrDueAt: at(480) });
    // Changing what pauses applies to the whole history, not from now on.
    expect((await manager.as.patch(`/api/v1/sla-policies/${policyId}`, { pauseWhen: ['customer'] })).status).toBe(200);
    await manager.as.post('/api/v1/sla/recompute');
    expect(await get(ids.taken)).toMatchObject({ slaPausedMinutes: 60, ttrDueAt: at(480 + 60) });
    await manager.as.patch(`/api/v1/sla-policies/${policyId}`, { pauseWhen: ['customer', 'vendor'] });
    await manager.as.post('/api/v1/sla/recompute');
    expect(await get(ids.taken)).toMatchObject({ slaPausedMinutes: 1500 });
  });

  it('reports the ownership on time in the SLA report', async () => {
    const report = await manager.as.get(`/api/v1/reports/sla?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&orgId=${orgId}`);
    expect(report.status).toBe(200);
    expect(report.body.rows).toEqual([expect.objectContaining({ orgId, incidents: 5, ttoMet: 4, ttoBreached: 1, ttoCompliance: 80 })]);
  });

  it('gives the same state whether a change refreshes the incident or a recompute does', async () => {
    const before = slaOf(await get(ids.taken));
    clock.advance(MIN);
    expect((await agent.as.patch(`/api/v1/incidents/${ids.taken}`, { title: 'Printer jammed again' })).status).toBe(200);
    expect(slaOf(await get(ids.taken))).toEqual(before);
    expect((await manager.as.post('/api/v1/sla/recompute')).status).toBe(200);
    expect(slaOf(await get(ids.taken))).toEqual(before);
  });

  it('applies a change of an organization\'s maturity or SLA setting to its open incidents at once', async () => {
    clock.set(at(0));
    const reactive = (await f.organization({ maturityLevel: 1 })).id;
    const caller = await f.person(reactive);
    const owned = (await f.incident(agent.as, { orgId: reactive, callerId: caller.id, impact: 2, urgency: 2, agentId: agent.id })).id;
    clock.set(at(15));
    await agent.as.post(`/api/v1/incidents/${owned}/transitions`, { to: 'pending', pendingReason: 'customer' });
    clock.set(at(36 * 1440 + 60));
    expect(await get(owned)).toMatchObject({ slaPolicyId: null, ttoMetAt: null });

    expect((await f.admin.patch(`/api/v1/organizations/${reactive}`, { maturityLevel: 2 })).status).toBe(200);
    expect(await get(owned)).toMatchObject({ slaPolicyId: policyId, ttoMetAt: at(0), ttoDueAt: at(30), slaPaused: true, ttrDueAt: null });
    expect((await f.admin.patch(`/api/v1/organizations/${reactive}`, { slaEnabled: false })).status).toBe(200);
    expect(await get(owned)).toMatchObject({ slaPolicyId: null, ttoMetAt: null, ttoDueAt: null, slaPaused: false });
    expect((await f.admin.patch(`/api/v1/organizations/${reactive}`, { slaEnabled: null })).status).toBe(200);
    expect(await get(owned)).toMatchObject({ slaPolicyId: policyId, ttoMetAt: at(0), slaPaused: true });
    // Another organization's incidents are left alone.
    expect((await get(ids.unowned)).ttoBreached).toBe(true);
  });

  it('does not count the time an incident sat resolved against TTR when it is reopened', async () => {
    // TTR 480 minutes around the clock; resolved after 10 minutes, reopened by the requester three days later.
    const start = 40 * 1440;
    const reopenedAt = start + 10 + 3 * 1440;
    clock.set(at(start));
    const id = (await f.incident(requester.as, { impact: 2, urgency: 2 })).id;
    clock.set(at(start + 10));
    expect((await agent.as.post(`/api/v1/incidents/${id}/transitions`, { to: 'resolved', resolutionCode: 'fixed', resolution: 'Spooler restarted' })).status).toBe(200);
    await escalate();
    clock.set(at(reopenedAt));
    expect((await requester.as.post(`/api/v1/incidents/${id}/transitions`, { to: 'in_progress', comment: 'It is broken again' })).status).toBe(200);
    await escalate();
    expect(await get(id)).toMatchObject({ slaPolicyId: policyId, ttoMetAt: at(start + 10), slaPausedMinutes: 3 * 1440, ttrDueAt: at(reopenedAt + 470), ttrWarned: false, ttrBreached: false });
    expect(await slaEntries(id)).toEqual([]);
    // The 470 minutes left run from the reopening: warned and breached when they are used up, dated then.
    clock.set(at(reopenedAt + 470));
    await escalate();
    expect(await get(id)).toMatchObject({ ttrWarned: true, ttrBreached: true });
    expect(await slaEntries(id)).toEqual([{ event: 'sla_ttr_warning', at: at(reopenedAt + 350) }, { event: 'sla_ttr_breached', at: at(reopenedAt + 470) }]);
  });

  it('clears the escalation flags when SLAs are switched off; the timeline keeps the escalations', async () => {
    clock.set(at(50 * 1440));
    const org = (await f.organization({ maturityLevel: 2 })).id;
    const id = await newIncidentIn(org);
    clock.set(at(50 * 1440 + 31));
    await escalate();
    expect(await get(id)).toMatchObject({ slaPolicyId: policyId, ttoWarned: true, ttoBreached: true });
    expect((await f.admin.patch(`/api/v1/organizations/${org}`, { slaEnabled: false })).status).toBe(200);
    expect(await get(id)).toMatchObject({ slaPolicyId: null, ttoDueAt: null, ttoWarned: false, ttoBreached: false, ttrWarned: false, ttrBreached: false });
    expect((await slaEntries(id)).map((e) => e.event)).toEqual(['sla_tto_warning', 'sla_tto_breached']);
  });

  it('recomputes an organization\'s open incidents only when a change turns SLAs on or off', async () => {
    clock.set(at(60 * 1440));
    const org = (await f.organization({ maturityLevel: 2 })).id;
    const id = await newIncidentIn(org);
    // A value no recompute would write: it stays as long as no recompute runs.
    const marker = '2030-01-01T00:00:00.000Z';
    await t.database.db.updateTable('incidents').set({ tto_due_at: marker }).where('id', '=', id).execute();
    for (const change of [{ maturityLevel: 3 }, { slaEnabled: true }, { maturityLevel: 1 }, { slaEnabled: null, maturityLevel: 2 }]) {
      expect((await f.admin.patch(`/api/v1/organizations/${org}`, change)).status).toBe(200);
      expect((await get(id)).ttoDueAt, JSON.stringify(change)).toBe(marker);
    }
    expect((await f.admin.patch(`/api/v1/organizations/${org}`, { slaEnabled: false })).status).toBe(200);
    expect((await get(id)).ttoDueAt).toBeNull();
  });

  it('turns SLAs on for an organization together with its open incidents\' SLA state, or not at all', async () => {
    clock.set(at(70 * 1440));
    const org = (await f.organization({ maturityLevel: 1 })).id;
    const id = await newIncidentIn(org);
    const db = t.database.db;
    const events = () => db.selectFrom('events').select('id').where('type', '=', 'organization.updated').where('aggregate_id', '=', org).execute();
    // An incident whose SLA state cannot be computed makes the change fail: the organization stays as it was.
    await db.updateTable('incidents').set({ pending_spans: '[{' }).where('id', '=', id).execute();
    expect((await f.admin.patch(`/api/v1/organizations/${org}`, { maturityLevel: 2 })).status).toBe(500);
    expect((await f.admin.get(`/api/v1/organizations/${org}`)).body.maturityLevel).toBe(1);
    expect(await events()).toEqual([]);
    await db.updateTable('incidents').set({ pending_spans: '[]' }).where('id', '=', id).execute();
    expect((await f.admin.patch(`/api/v1/organizations/${org}`, { maturityLevel: 2 })).status).toBe(200);
    expect(await get(id)).toMatchObject({ slaPolicyId: policyId, ttoDueAt: at(70 * 1440 + 30) });
    expect(await events()).toHaveLength(1);
  });

  it('back-fills the same history from the timeline when migrating an existing database', async () => {
    const db = t.database.db;
    const columns = ['id', 'first_owned_at', 'pending_spans', 'resolved_spans', 'tto_met_at', 'tto_warned', 'tto_breached'] as const;
    const snapshot = () => db.selectFrom('incidents').select(columns).orderBy('id').execute();
    const recorded = await snapshot();
    expect(recorded.filter((r) => r.pending_spans !== '[]')).toHaveLength(2);
    // Incidents created before this version did not list their agent in the "created" entry.
    const created = await db.selectFrom('timeline_entries').select(['id', 'changes']).where('incident_id', '=', ids.createdOwned).where('event', '=', 'created').executeTakeFirstOrThrow();
    await db.updateTable('timeline_entries').set({ changes: JSON.stringify(JSON.parse(created.changes!).filter((c: { field: string }) => c.field === 'status')) }).where('id', '=', created.id).execute();
    await db.updateTable('incidents').set({ tto_met_at: null, tto_breached: 1 }).where('id', '=', ids.assigned).execute();
    await slaHistoryMigration.down(db);
    await slaHistoryMigration.up(db);
    expect(await snapshot()).toEqual(recorded);
    expect(recorded.filter((r) => r.resolved_spans !== '[]')).toHaveLength(1); // the reopened incident
  });

  it('upgrades all or nothing: an interrupted migration leaves no column behind and runs again', async () => {
    const db = t.database.db;
    const upgraded = async () => (await db.introspection.getTables()).find((x) => x.name === 'incidents')!.columns.some((c) => c.name === 'first_owned_at');
    const entry = await db.selectFrom('timeline_entries').select(['id', 'changes']).where('changes', 'is not', null).orderBy('id', 'desc').executeTakeFirstOrThrow();
    await slaHistoryMigration.down(db);
    // Interrupted half-way through the back-fill.
    await db.updateTable('timeline_entries').set({ changes: '[{' }).where('id', '=', entry.id).execute();
    await expect(slaHistoryMigration.up(db)).rejects.toThrow();
    expect(await upgraded()).toBe(false);
    await db.updateTable('timeline_entries').set({ changes: entry.changes }).where('id', '=', entry.id).execute();
    await slaHistoryMigration.up(db);
    // Committed, but the process stopped before the migrator recorded it: the next start has nothing left to do.
    await slaHistoryMigration.up(db);
    expect(await upgraded()).toBe(true);
  });

  it('after upgrading, the worker recomputes from their history, once, the open incidents whose SLA state predates it', async () => {
    const db = t.database.db;
    const columns = [
      'id', 'sla_policy_id', 'tto_due_at', 'ttr_due_at', 'tto_warn_at', 'ttr_warn_at', 'tto_met_at', 'tto_warned', 'tto_breached', 'ttr_warned', 'ttr_breached',
      'sla_paused_minutes', 'sla_paused_since', 'sla_next_check_at', 'ttr_due_sort',
    ] as const;
    const state = () => db.selectFrom('incidents').select(columns).orderBy('id').execute();
    const exact = await state();
    // Before the history existed, its deadlines counted none of its 1,500 minutes in `pending`.
    await db.updateTable('incidents').set({ sla_paused_minutes: 0, ttr_due_at: at(480), ttr_warn_at: at(360), ttr_due_sort: at(480) }).where('id', '=', ids.taken).execute();
    await slaHistoryMigration.down(db);
    await slaHistoryMigration.up(db);
    const open = await db.selectFrom('incidents').select('id').where('status', 'in', OPEN_STATUSES).orderBy('id').execute();
    const stale = () => db.selectFrom('incidents').select('id').where('sla_stale', '=', 1).orderBy('id').execute();
    expect(await stale()).toEqual(open);
    expect(await get(ids.taken)).toMatchObject({ slaPausedMinutes: 0, ttrDueAt: at(480) });

    expect(JOBS.map((j) => j.run)).toContain(recomputeStaleIncidents);
    const ctx = buildCtx({ database: t.database, clock });
    expect(await recomputeStaleIncidents(ctx)).toBe(open.length);
    expect(await state()).toEqual(exact);
    expect(await stale()).toEqual([]);
    expect(await recomputeStaleIncidents(ctx)).toBe(0);
  });
});

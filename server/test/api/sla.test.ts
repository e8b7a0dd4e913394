import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCtx } from '../../src/app.ts';
import { processDueEscalations } from '../../src/sla/sla-escalation.service.ts';
import { factories } from '../factories.ts';
import { DIALECTS, startTestApp, testClock, type TestApp } from '../test-app.ts';

const MIN = 60_000;
// Monday 2 March 2026, 09:00 in Paris (08:00 UTC): a working day.
const MONDAY_9H = '2026-03-02T08:00:00.000Z';

describe.each(DIALECTS)('SLAs on business time on %s', (dialect) => {
  const clock = testClock(MONDAY_9H);
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let calendarId: number;
  let orgId: number;
  let agent: Awaited<ReturnType<typeof f.user>>;
  let manager: Awaited<ReturnType<typeof f.user>>;
  let requester: Awaited<ReturnType<typeof f.user>>;
  const escalate = () => processDueEscalations(buildCtx({ database: t.database, clock }));

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
    const hours = [1, 2, 3, 4, 5].flatMap((day) => [{ day, start: '09:00', end: '12:00' }, { day, start: '13:00', end: '17:00' }]);
    const cal = await f.admin.post('/api/v1/calendars', { name: 'Paris office', timezone: 'Europe/Paris', hours, holidays: [{ date: '2026-05-01', name: 'Fête du travail', recurring: true }] });
    expect(cal.status).toBe(201);
    calendarId = cal.body.id;
    orgId = (await f.organization({ maturityLevel: 2 })).id;
    agent = await f.user('agent');
    manager = await f.user('manager');
    requester = await f.user('requester', { orgId });
    const policy = await manager.as.post('/api/v1/sla-policies', {
      name: 'Standard',
      calendarId,
      targets: [
        { priority: 1, ttoMinutes: 30, ttrMinutes: 240 },
        { priority: 2, ttoMinutes: 60, ttrMinutes: 480 },
        { priority: 3, ttoMinutes: 120, ttrMinutes: 960 },
        { priority: 4, ttoMinutes: 240, ttrMinutes: 2400 },
      ],
      pauseWhen: ['customer'],
      warnAtPercent: 75,
    });
    expect(policy.status).toBe(201);
  });
  afterAll(() => t?.close());

  it('refuses invalid policies with field errors and forbids agents', async () => {
    const bad = await manager.as.post('/api/v1/sla-policies', { name: 'x', calendarId: 99999, targets: [{ priority: 1, ttoMinutes: 60, ttrMinutes: 30 }] });
    expect(bad.status).toBe(400);
    const unknownCalendar = await manager.as.post('/api/v1/sla-policies', { name: 'x', calendarId: 99999, targets: [{ priority: 1, ttoMinutes: 30, ttrMinutes: 60 }] });
    expect(unknownCalendar.status).toBe(422);
    expect(unknownCalendar.body.errors).toEqual([{ path: 'calendarId', message: expect.any(String) }]);
    expect((await agent.as.post('/api/v1/sla-policies', { name: 'x', calendarId, targets: [{ priority: 1, ttoMinutes: 30, ttrMinutes: 60 }] })).status).toBe(403);
    expect((await requester.as.get('/api/v1/sla-policies')).status).toBe(403);
  });

  it('sets deadlines on business time, meets TTO at the first public reply, stops TTR at resolution', async () => {
    clock.set(MONDAY_9H);
    const inc = await f.incident(requester.as, { impact: 1, urgency: 2 }); // priority 1
    // SLA clocks are for staff: the requester's answer leaves them out.
    expect(inc).not.toHaveProperty('ttoDueAt');
    const logged = (await agent.as.get(`/api/v1/incidents/${inc.id}`)).body;
    expect(logged).toMatchObject({ priority: 1, ttoDueAt: '2026-03-02T08:30:00.000Z', ttoMetAt: null });
    // 240 business minutes from 09:00: 09–12 (180) + 13:00–14:00 (60) → 14:00 Paris.
    expect(logged.ttrDueAt).toBe('2026-03-02T13:00:00.000Z');
    clock.advance(10 * MIN);
    await agent.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'On it', visibility: 'public' });
    const owned = await agent.as.get(`/api/v1/incidents/${inc.id}`);
    expect(owned.body.ttoMetAt).toBe('2026-03-02T08:10:00.000Z');
    clock.advance(20 * MIN);
    await agent.as.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'resolved', resolutionCode: 'fixed', resolution: 'Done' });
    clock.advance(24 * 60 * MIN);
    expect(await escalate()).toBe(0);
    const done = await agent.as.get(`/api/v1/incidents/${inc.id}`);
    expect(done.body).toMatchObject({ ttoBreached: false, ttrBreached: false, ttoWarned: false });
  });

  it('warns at the percentage and breaches at 100 %, each exactly once, even with two workers racing', async () => {
    clock.set(MONDAY_9H);
    const inc = await f.incident(requester.as, { impact: 1, urgency: 1 }); // TTO 30 min
    clock.advance(22 * MIN);
    expect(await escalate()).toBe(0);
    clock.advance(1 * MIN); // 23 min ≥ 75 % of 30 (22.5 → 23)
    const [a, b] = await Promise.all([escalate(), escalate()]);
    expect(a + b).toBe(1);
    clock.advance(10 * MIN);
    await Promise.all([escalate(), escalate()]);
    await escalate();
    const got = await agent.as.get(`/api/v1/incidents/${inc.id}`);
    expect(got.body).toMatchObject({ ttoWarned: true, ttoBreached: true });
    const timeline = (await agent.as.get(`/api/v1/incidents/${inc.id}/timeline`)).body.items.map((e: { event: string }) => e.event);
    expect(timeline.filter((e: string) => e === 'sla_tto_warning')).toHaveLength(1);
    expect(timeline.filter((e: string) => e === 'sla_tto_breached')).toHaveLength(1);
    const events = await t.database.db.selectFrom('events').select('type').where('aggregate_id', '=', inc.id).where('type', 'like', 'sla.%').execute();
    expect(events.map((e) => e.type).sort()).toEqual(['sla.tto_breached', 'sla.tto_warning']);
    // Requesters never see SLA escalations: they are internal.
    const asRequester = (await requester.as.get(`/api/v1/incidents/${inc.id}/timeline`)).body.items.map((e: { event: string }) => e.event);
    expect(asRequester.some((e: string) => e?.startsWith('sla_'))).toBe(false);
  });

  it('pauses TTR while pending on the customer and moves the deadline by the paused business time', async () => {
    clock.set(MONDAY_9H);
    // Priority 2: TTR 480 business minutes; a day holds 420 (09–12, 13–17) → Tuesday 10:00 Paris.
    const inc = await f.incident(agent.as, { orgId, callerId: requester.personId, impact: 2, urgency: 2, agentId: agent.id });
    expect(inc).toMatchObject({ priority: 2, ttrDueAt: '2026-03-03T09:00:00.000Z' });
    await agent.as.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'in_progress' });
    clock.advance(60 * MIN); // 10:00
    const paused = await agent.as.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'pending', pendingReason: 'customer' });
    expect(paused.body).toMatchObject({ slaPaused: true, ttrDueAt: null });
    clock.advance(120 * MIN); // 12:00 — 120 business minutes paused
    expect((await requester.as.post(`/api/v1/incidents/${inc.id}/comments`, { body: 'Here is the screenshot' })).status).toBe(201);
    const resumed = await agent.as.get(`/api/v1/incidents/${inc.id}`);
    expect(resumed.body).toMatchObject({ status: 'in_progress', slaPaused: false, slaPausedMinutes: 120 });
    // 480 + 120 business minutes from Monday 09:00 → Tuesday 12:00 Paris.
    expect(resumed.body.ttrDueAt).toBe('2026-03-03T11:00:00.000Z');
  });

  it('recomputes the deadlines from reportedAt when the priority changes, keeping paused time', async () => {
    clock.set(MONDAY_9H);
    const inc = await f.incident(agent.as, { orgId, impact: 3, urgency: 3 }); // priority 3: TTO 120
    expect(inc.priority).toBe(3);
    clock.advance(5 * MIN);
    const up = await agent.as.patch(`/api/v1/incidents/${inc.id}`, { impact: 1, urgency: 1 });
    expect(up.body).toMatchObject({ priority: 1, ttoDueAt: '2026-03-02T08:30:00.000Z', ttrDueAt: '2026-03-02T13:00:00.000Z' });
  });

  it('leaves organizations below maturity 2 without SLA, unless they turn it on', async () => {
    const reactive = await f.organization({ maturityLevel: 1 });
    const inc = await f.incident(agent.as, { orgId: reactive.id });
    expect(inc).toMatchObject({ slaPolicyId: null, ttoDueAt: null });
    await f.admin.patch(`/api/v1/organizations/${reactive.id}`, { slaEnabled: true });
    const next = await f.incident(agent.as, { orgId: reactive.id });
    expect((next as any).slaPolicyId).not.toBeNull();
  });

  it('sorts a queue by due soonest, incidents without a running deadline last', async () => {
    const list = await agent.as.get(`/api/v1/incidents?orgId=${orgId}&status=new,assigned,in_progress,pending&sort=ttrDueAt&limit=200`);
    expect(list.status).toBe(200);
    const dues = list.body.items.map((i: { ttrDueAt: string | null }) => i.ttrDueAt);
    const running = dues.filter((d: string | null) => d !== null);
    expect(running).toEqual([...running].sort());
    expect(dues.slice(running.length).every((d: string | null) => d === null)).toBe(true);
  });

  it('recomputes open incidents after a policy change (manager)', async () => {
    clock.set('2026-03-09T08:00:00.000Z'); // the next Monday, 09:00 in Paris: earlier breaches stay breached
    const inc = await f.incident(agent.as, { orgId, impact: 3, urgency: 3 });
    expect((inc as any).ttoDueAt).toBe('2026-03-09T10:00:00.000Z'); // 120 business minutes
    const policies = (await manager.as.get('/api/v1/sla-policies')).body.items;
    await manager.as.patch(`/api/v1/sla-policies/${policies[0].id}`, {
      targets: [{ priority: 1, ttoMinutes: 30, ttrMinutes: 240 }, { priority: 2, ttoMinutes: 60, ttrMinutes: 480 }, { priority: 3, ttoMinutes: 60, ttrMinutes: 720 }, { priority: 4, ttoMinutes: 240, ttrMinutes: 2400 }],
    });
    expect((await agent.as.post('/api/v1/sla/recompute')).status).toBe(403);
    const res = await manager.as.post('/api/v1/sla/recompute');
    expect(res.status).toBe(200);
    expect(res.body.recomputed).toBeGreaterThan(0);
    const recomputed = (await agent.as.get(`/api/v1/incidents/${inc.id}`)).body;
    expect(recomputed.ttoDueAt).toBe('2026-03-09T09:00:00.000Z');
    expect(recomputed.ttrDueAt).not.toBe((inc as any).ttrDueAt);
    // The batch write leaves exactly what creating the incident under the new targets gives.
    const fresh = await f.incident(agent.as, { orgId, impact: 3, urgency: 3 });
    const keys = ['slaPolicyId', 'ttoDueAt', 'ttrDueAt', 'ttoMetAt', 'ttoWarned', 'ttoBreached', 'ttrWarned', 'ttrBreached', 'slaPaused', 'slaPausedMinutes'];
    const sla = (i: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, i[k]]));
    expect(sla(recomputed)).toEqual(sla(fresh as Record<string, unknown>));
    expect((await manager.as.post('/api/v1/sla/recompute')).status).toBe(200);
    expect(sla((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body)).toEqual(sla(recomputed));
  });

  it('reports SLA compliance per organization and priority', async () => {
    const report = await manager.as.get(`/api/v1/reports/sla?from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z&orgId=${orgId}`);
    expect(report.status).toBe(200);
    const p1 = report.body.rows.find((r: { priority: number }) => r.priority === 1);
    expect(p1).toMatchObject({ orgId, ttoMet: expect.any(Number), ttoBreached: 1 });
    expect(p1.ttoCompliance).toBeGreaterThanOrEqual(0);
    expect((await requester.as.get('/api/v1/reports/sla?from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z')).status).toBe(403);
  });
});

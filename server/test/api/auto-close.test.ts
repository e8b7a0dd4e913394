import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCtx } from '../../src/app.ts';
import { autoCloseResolved } from '../../src/incidents/incident-auto-close.service.ts';
import { factories } from '../factories.ts';
import { DIALECTS, startTestApp, testClock, type TestApp } from '../test-app.ts';

const DAY = 86_400_000;

describe.each(DIALECTS)('automatic closing of resolved incidents on %s', (dialect) => {
  const clock = testClock('2026-05-04T08:00:00.000Z');
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
  });
  afterAll(() => t?.close());

  async function resolvedIncident(orgId: number, agent: Awaited<ReturnType<typeof f.user>>) {
    const inc = await f.incident(agent.as, { orgId });
    const res = await agent.as.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'resolved', resolutionCode: 'fixed', resolution: 'Restarted' });
    expect(res.status).toBe(200);
    return inc;
  }

  it("closes an incident once its organization's delay has passed, exactly once, with a public timeline entry", async () => {
    const org = await f.organization({ autoCloseDays: 3 });
    const never = await f.organization({ autoCloseDays: 0 });
    const agent = await f.user('agent');
    const ctx = buildCtx({ database: t.database, clock });
    clock.set('2026-05-04T08:00:00.000Z');
    const inc = await resolvedIncident(org.id, agent);
    const kept = await resolvedIncident(never.id, agent);

    clock.advance(2 * DAY);
    await autoCloseResolved(ctx);
    expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body.status).toBe('resolved');

    clock.advance(2 * DAY);
    // Two workers racing: the incident closes once.
    const [a, b] = await Promise.all([autoCloseResolved(ctx), autoCloseResolved(ctx)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    const after = await agent.as.get(`/api/v1/incidents/${inc.id}`);
    expect(after.body).toMatchObject({ status: 'closed', closedAt: clock.now().toISOString() });
    const timeline = (await agent.as.get(`/api/v1/incidents/${inc.id}/timeline`)).body.items;
    expect(timeline.filter((e: { event: string }) => e.event === 'auto_closed')).toHaveLength(1);
    const events = await t.database.db.selectFrom('events').selectAll().where('aggregate_id', '=', inc.id).where('type', '=', 'incident.status_changed').execute();
    expect(events.filter((e) => JSON.parse(e.payload).to === 'closed')).toHaveLength(1);

    expect((await agent.as.get(`/api/v1/incidents/${kept.id}`)).body.status).toBe('resolved');
  });

  it('leaves alone an incident the requester reopened', async () => {
    const org = await f.organization({ autoCloseDays: 1 });
    const agent = await f.user('agent');
    const requester = await f.user('requester', { orgId: org.id });
    const ctx = buildCtx({ database: t.database, clock });
    const inc = await f.incident(requester.as, {});
    await agent.as.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'resolved', resolutionCode: 'fixed', resolution: 'Done' });
    await requester.as.post(`/api/v1/incidents/${inc.id}/transitions`, { to: 'in_progress', comment: 'Still broken' });
    clock.advance(3 * DAY);
    await autoCloseResolved(ctx);
    expect((await agent.as.get(`/api/v1/incidents/${inc.id}`)).body.status).toBe('in_progress');
  });
});

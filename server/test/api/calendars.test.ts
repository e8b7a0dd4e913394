import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { DIALECTS, startTestApp, type TestApp, testClock } from '../test-app.ts';

describe.each(DIALECTS)('calendars API on %s', (dialect) => {
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  beforeAll(async () => {
    t = await startTestApp(dialect, { clock: testClock() }); // a still clock: changes share one updatedAt
    f = factories(t);
  });
  afterAll(() => t?.close());

  const weekdays = [1, 2, 3, 4, 5].flatMap((day) => [{ day, start: '09:00', end: '12:00' }, { day, start: '13:00', end: '17:00' }]);

  it('creates a calendar, answers deadlines and business minutes, and keeps its history on deactivation', async () => {
    const created = await f.admin.post('/api/v1/calendars', {
      name: 'Montréal',
      timezone: 'America/Montreal',
      hours: weekdays,
      holidays: [{ date: '2026-07-01', name: 'Fête du Canada', recurring: true }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Montréal', timezone: 'America/Montreal', active: true, holidays: [{ date: '2026-07-01', name: 'Fête du Canada', recurring: true }] });
    const id = created.body.id;

    // Friday 16:00 EST + 120 business minutes → Monday 10:00 EDT (DST started on Sunday 8 March).
    const due = await f.admin.post(`/api/v1/calendars/${id}/deadline`, { start: '2026-03-06T21:00:00Z', minutes: 120 });
    expect(due.body).toEqual({ deadline: '2026-03-09T14:00:00.000Z' });
    const outside = await f.admin.post(`/api/v1/calendars/${id}/deadline`, { start: '2026-07-01T14:00:00-04:00', minutes: 30 });
    expect(outside.body).toEqual({ deadline: '2026-07-02T13:30:00.000Z' });
    const minutes = await f.admin.post(`/api/v1/calendars/${id}/business-minutes`, { from: '2026-03-06T21:00:00Z', to: '2026-03-09T14:00:00Z' });
    expect(minutes.body).toEqual({ minutes: 120 });

    const renamed = await f.admin.patch(`/api/v1/calendars/${id}`, { name: 'Montréal (bureau)' });
    expect(renamed.body).toMatchObject({ name: 'Montréal (bureau)', hours: expect.any(Array) });
    const gone = await f.admin.delete(`/api/v1/calendars/${id}`);
    expect(gone.body.active).toBe(false);
    expect((await f.admin.get(`/api/v1/calendars/${id}`)).body.active).toBe(false);
    const events = await t.database.db.selectFrom('events').select('type').where('aggregate_type', '=', 'calendar').where('aggregate_id', '=', id).execute();
    expect(events.map((e) => e.type)).toEqual(['calendar.created', 'calendar.updated', 'calendar.updated']);
  });

  it('refuses invalid calendars with field errors', async () => {
    const res = await f.admin.post('/api/v1/calendars', {
      name: 'Broken',
      timezone: 'Europe/Atlantis',
      hours: [{ day: 1, start: '09:00', end: '12:00' }, { day: 1, start: '11:00', end: '13:00' }, { day: 2, start: '17:00', end: '09:00' }],
    });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['hours.1', 'hours.2.end', 'timezone']);
    const patch = await f.admin.post('/api/v1/calendars', { name: 'ok', timezone: 'UTC', hours: [{ day: 1, start: '09:00', end: '10:00' }] });
    const bad = await f.admin.patch(`/api/v1/calendars/${patch.body.id}`, { hours: [] });
    expect(bad.status).toBe(422);
    expect((await f.admin.post('/api/v1/calendars/999999/deadline', { start: '2026-03-02T08:00:00Z', minutes: 1 })).status).toBe(404);
  });

  it('uses a changed calendar at once, lists by state, and refuses spans beyond reach with a field error', async () => {
    const created = await f.admin.post('/api/v1/calendars', { name: 'Paris', timezone: 'Europe/Paris', hours: weekdays, holidays: [] });
    const id = created.body.id;
    const ask = () => f.admin.post(`/api/v1/calendars/${id}/deadline`, { start: '2026-03-02T09:00:00+01:00', minutes: 240 });
    expect((await ask()).body).toEqual({ deadline: '2026-03-02T13:00:00.000Z' }); // 09–12 then 13–14 Paris
    const changed = await f.admin.patch(`/api/v1/calendars/${id}`, { hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '08:00', end: '18:00' })) });
    expect(changed.body.updatedAt).toBe(created.body.updatedAt);
    expect((await ask()).body).toEqual({ deadline: '2026-03-02T12:00:00.000Z' });

    // Zero minutes from a Saturday is Monday's opening; instants come back in UTC.
    const opening = await f.admin.post(`/api/v1/calendars/${id}/deadline`, { start: '2026-03-07T12:00:00+01:00', minutes: 0 });
    expect(opening.body).toEqual({ deadline: '2026-03-09T07:00:00.000Z' });
    const week = await f.admin.post(`/api/v1/calendars/${id}/business-minutes`, { from: '2026-03-02T00:00:00+01:00', to: '2026-03-09T00:00:00+01:00' });
    expect(week.body).toEqual({ minutes: 5 * 600 });

    const far = await f.admin.post(`/api/v1/calendars/${id}/deadline`, { start: '2026-03-02T08:00:00Z', minutes: 5_000_000 });
    expect(far.status).toBe(422);
    expect(far.body.errors.map((e: { path: string }) => e.path)).toEqual(['minutes']);
    const span = await f.admin.post(`/api/v1/calendars/${id}/business-minutes`, { from: '1990-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' });
    expect(span.status).toBe(422);
    expect((await ask()).status).toBe(200);

    await f.admin.delete(`/api/v1/calendars/${id}`);
    const inactive = await f.admin.get('/api/v1/calendars?active=false');
    expect(inactive.body.items.map((c: { id: number }) => c.id)).toContain(id);
    expect((await f.admin.get('/api/v1/calendars?active=true')).body.items.map((c: { id: number }) => c.id)).not.toContain(id);
    const back = await f.admin.patch(`/api/v1/calendars/${id}`, { active: true });
    expect(back.body.active).toBe(true);
  });

  it('lets staff read and managers write; agents cannot write', async () => {
    const agent = await f.user('agent');
    const manager = await f.user('manager');
    const body = { name: 'Team', timezone: 'Europe/Paris', hours: weekdays };
    expect((await agent.as.post('/api/v1/calendars', body)).status).toBe(403);
    const created = await manager.as.post('/api/v1/calendars', body);
    expect(created.status).toBe(201);
    const list = await agent.as.get('/api/v1/calendars?active=true');
    expect(list.body.items.map((c: { id: number }) => c.id)).toContain(created.body.id);
  });
});

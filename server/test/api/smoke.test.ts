import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { DIALECTS, startTestApp, type TestApp } from '../test-app.ts';

describe.each(DIALECTS)('incident core on %s', (dialect) => {
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    f = factories(t);
  });
  afterAll(() => t?.close());

  it('logs, works and resolves an incident end to end', async () => {
    const org = await f.organization();
    const requester = await f.user('requester', { orgId: org.id });
    const agent = await f.user('agent');
    const created = await f.incident(requester.as, { title: 'Écran noir', description: 'Mon écran reste noir' });
    expect(created).toMatchObject({ status: 'new', orgId: org.id, priority: 3 });
    expect(created.ref).toMatch(/^I-\d{6}$/);

    const reply = await agent.as.post(`/api/v1/incidents/${created.ref}/comments`, { body: 'On regarde', visibility: 'public' });
    expect(reply.status).toBe(201);
    await agent.as.post(`/api/v1/incidents/${created.id}/comments`, { body: 'secret', visibility: 'internal' });
    const resolved = await agent.as.post(`/api/v1/incidents/${created.id}/transitions`, { to: 'resolved', resolutionCode: 'fixed', resolution: 'Câble rebranché' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');

    const found = await agent.as.get('/api/v1/incidents?q=ecran');
    expect(found.body.items.map((i: { id: number }) => i.id)).toContain(created.id);

    const timeline = await requester.as.get(`/api/v1/incidents/${created.id}/timeline`);
    expect(timeline.body.items.some((e: { body: string }) => e.body === 'secret')).toBe(false);
    expect(timeline.body.items.some((e: { body: string }) => e.body === 'On regarde')).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendEvent } from '../../src/events/event.repository.ts';
import { factories } from '../factories.ts';
import { ADMIN, DIALECTS, startTestApp, testClock, type TestApp } from '../test-app.ts';

const ADDRESS = '203.0.113.7';

describe.each(DIALECTS)('admin audit log on %s', (dialect) => {
  let t: TestApp;
  let f: ReturnType<typeof factories>;
  let adminId: number;
  let adminName: string;
  let calendarId: number;
  const clock = testClock('2026-03-02T09:00:00.000Z');

  beforeAll(async () => {
    t = await startTestApp(dialect, { clock });
    f = factories(t);
    ({ id: adminId, name: adminName } = (await f.admin.get('/api/v1/me')).body);
    calendarId = (await f.admin.post('/api/v1/calendars', { name: 'Office', timezone: 'Europe/Paris', hours: [{ day: 1, start: '09:00', end: '17:00' }] })).body.id;
  });
  afterAll(() => t?.close());

  /** A request as the holder of `token`, from a given address and with a given request id. */
  const call = async (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, opts: { payload?: object; remoteAddress?: string; requestId?: string; headers?: Record<string, string> } = {}) => {
    const res = await t.app.inject({
      method,
      url,
      remoteAddress: opts.remoteAddress,
      headers: { authorization: `Bearer ${token}`, ...(opts.requestId && { 'x-request-id': opts.requestId }), ...opts.headers },
      ...(opts.payload && { payload: opts.payload }),
    });
    return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? res.json() : res.body, headers: res.headers, raw: res.rawPayload };
  };
  const log = async (query = '') => {
    const res = await call(t.adminToken, 'GET', `/api/v1/audit-log${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: any[]; nextCursor: string | null };
  };

  it('records who changed an SLA policy, when, from which address and request, and what changed', async () => {
    const policy = (await f.admin.post('/api/v1/sla-policies', { name: 'Gold', calendarId, targets: [{ priority: 1, ttoMinutes: 30, ttrMinutes: 240 }] })).body;
    clock.set('2026-03-03T10:15:00.000Z');
    const patched = await call(t.adminToken, 'PATCH', `/api/v1/sla-policies/${policy.id}`, {
      payload: { name: 'Platinum', warnAtPercent: 60 },
      remoteAddress: ADDRESS,
      requestId: 'req-audit-1',
      // Not behind a trusted proxy: the header is the client's word, not its address.
      headers: { 'x-forwarded-for': '198.51.100.99' },
    });
    expect(patched.status).toBe(200);

    const [entry] = (await log(`?aggregateType=sla_policy&aggregateId=${policy.id}`)).items;
    expect(entry).toMatchObject({
      at: '2026-03-03T10:15:00.000Z',
      type: 'sla_policy.updated',
      actor: { id: adminId, email: ADMIN.email },
      address: ADDRESS,
      requestId: 'req-audit-1',
      target: { type: 'sla_policy', id: policy.id, label: 'Platinum' },
    });
    expect(entry.changes).toEqual(
      expect.arrayContaining([
        { field: 'name', from: 'Gold', to: 'Platinum' },
        { field: 'warnAtPercent', from: 75, to: 60 },
      ]),
    );
  });

  it('records the address of changes sent over a real connection, with a body', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const team = (await f.admin.post('/api/v1/teams', { name: 'Over the wire' })).body;
    const res = await fetch(`${address}/api/v1/teams/${team.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json', 'x-request-id': 'req-wire' },
      // The body arrives in two parts, after the request's hooks have run.
      body: new ReadableStream({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode('{"name": "Over the wire, '));
          await new Promise((r) => setTimeout(r, 50));
          controller.enqueue(new TextEncoder().encode('renamed"}'));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    const [entry] = (await log(`?aggregateType=team&aggregateId=${team.id}`)).items;
    expect(entry).toMatchObject({ type: 'team.updated', address: '127.0.0.1', requestId: 'req-wire' });
  });

  it('shows the fields a record was created with, and a password change without any secret', async () => {
    const created = await call(t.adminToken, 'POST', '/api/v1/users', { payload: { email: 'audited@example.test', name: 'Audited', role: 'agent', password: 'first-password-123' }, remoteAddress: ADDRESS });
    expect(created.status).toBe(201);
    const userId = created.body.id;
    expect((await call(t.adminToken, 'PATCH', `/api/v1/users/${userId}`, { payload: { password: 'second-password-456', role: 'manager' } })).status).toBe(200);

    const { items } = await log(`?aggregateType=user&aggregateId=${userId}`);
    expect(items.map((i) => i.type)).toEqual(['user.password_changed', 'user.updated', 'user.created']);
    const [passwordChanged, updated, created_] = items;
    expect(created_.changes).toEqual(expect.arrayContaining([{ field: 'email', to: 'audited@example.test' }, { field: 'role', to: 'agent' }]));
    expect(created_.changes.map((c: { field: string }) => c.field)).not.toContain('password');
    expect(created_.target.label).toBe('audited@example.test');
    expect(updated.changes).toEqual(expect.arrayContaining([{ field: 'role', from: 'agent', to: 'manager' }, { field: 'password', from: '***', to: '***' }]));
    expect(passwordChanged.changes).toEqual(expect.arrayContaining([{ field: 'by', to: 'admin' }]));

    const everything = JSON.stringify(await log('?limit=200'));
    for (const secret of ['first-password-123', 'second-password-456', '$argon2', t.adminToken]) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/"[0-9a-f]{64}"/);
  });

  it('records no address for background work, and labels records from their creation event', async () => {
    await t.database.db.transaction().execute(async (trx) => {
      await appendEvent(trx, { type: 'identity_provider.created', orgId: null, aggregateType: 'identity_provider' as never, aggregateId: 7, actorId: adminId, payload: { id: 7, name: 'Okta', clientId: 'vigie', clientSecret: 'v1.sealed-secret-value' } }, clock.now().toISOString());
      await appendEvent(trx, { type: 'identity_provider.updated', orgId: null, aggregateType: 'identity_provider' as never, aggregateId: 7, actorId: null, payload: { changes: [{ field: 'clientSecret', from: 'old-secret', to: 'new-secret' }] } }, clock.now().toISOString());
    });
    const { items } = await log('?aggregateType=identity_provider');
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ type: 'identity_provider.updated', actor: null, address: null, requestId: null, target: { label: 'Okta' }, changes: [{ field: 'clientSecret', from: '***', to: '***' }] });
    expect(items[1].changes).toEqual(expect.arrayContaining([{ field: 'clientSecret', to: '***' }, { field: 'clientId', to: 'vigie' }]));
    expect(JSON.stringify(items)).not.toMatch(/sealed-secret-value|old-secret|new-secret/);
  });

  it('never shows incidents, people or their timelines', async () => {
    const org = await f.organization();
    const requester = await f.user('requester', { orgId: org.id });
    const incident = await f.incident(requester.as, { title: 'Printer on fire' });
    await f.admin.post(`/api/v1/incidents/${incident.id}/comments`, { body: 'On it', visibility: 'internal' });
    await f.person(org.id, { name: 'Someone Private' });

    const all = [];
    let cursor: string | null = null;
    do {
      const page: { items: any[]; nextCursor: string | null } = await log(`?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.some((i) => i.type === 'organization.created' && i.target.id === org.id)).toBe(true);
    expect(all.filter((i) => !['organization', 'user', 'team', 'service', 'calendar', 'sla_policy', 'settings', 'identity_provider', 'mailbox', 'integration'].includes(i.target.type))).toEqual([]);
    expect(JSON.stringify(all)).not.toMatch(/Printer on fire|On it|Someone Private/);
  });

  it('filters by who, what, which, type, dates and text, and pages with a cursor', async () => {
    const manager = await f.user('manager');
    clock.set('2026-04-10T08:00:00.000Z');
    const team = (await call(manager.token, 'POST', '/api/v1/teams', { payload: { name: 'Night shift zanzibar' } })).body;
    clock.set('2026-04-11T08:00:00.000Z');
    await call(manager.token, 'PATCH', `/api/v1/teams/${team.id}`, { payload: { name: 'Night shift' } });
    await call(manager.token, 'PATCH', `/api/v1/calendars/${calendarId}`, { payload: { name: 'Office hours' } });

    const byManager = (await log(`?actorId=${manager.id}`)).items;
    expect(byManager.map((i) => i.type)).toEqual(['calendar.updated', 'team.updated', 'team.created']);
    expect(byManager.every((i) => i.actor.id === manager.id)).toBe(true);
    expect((await log(`?actorId=${manager.id}&aggregateType=team`)).items.map((i) => i.type)).toEqual(['team.updated', 'team.created']);
    expect((await log(`?actorId=${manager.id}&type=team.created`)).items.map((i) => i.target.label)).toEqual(['Night shift']);
    expect((await log(`?aggregateType=calendar&aggregateId=${calendarId}&type=calendar.updated`)).items.map((i) => i.actor.id)).toEqual([manager.id]);
    expect((await log(`?actorId=${manager.id}&from=2026-04-11T00:00:00Z`)).items).toHaveLength(2);
    expect((await log(`?actorId=${manager.id}&to=2026-04-11T00:00:00%2B02:00`)).items.map((i) => i.type)).toEqual(['team.created']);
    expect((await log('?q=ZANZIBAR')).items.map((i) => [i.type, i.target.id])).toEqual([['team.updated', team.id], ['team.created', team.id]]);
    expect((await log('?q=100%25_')).items).toEqual([]);

    const full = (await log('?limit=200')).items.map((i) => i.id);
    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: any[]; nextCursor: string | null } = await log(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      paged.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(full);
    expect([...full].sort((a, b) => b - a)).toEqual(full);
  });

  it('refuses bad filters and cursors with a problem', async () => {
    for (const query of ['?cursor=nonsense', `?cursor=${Buffer.from(JSON.stringify([1, 2 ** 40])).toString('base64url')}`, '?aggregateType=incident', '?from=yesterday', '?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', '?actorId=99999999999', '?limit=201']) {
      const res = await call(t.adminToken, 'GET', `/api/v1/audit-log${query}`);
      expect([400, 422], `${query} ${JSON.stringify(res.body)}`).toContain(res.status);
      expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    }
  });

  it('exports the filtered log as CSV for spreadsheets, safe from formulas', async () => {
    clock.set('2026-05-20T12:00:00.000Z');
    const team = (await f.admin.post('/api/v1/teams', { name: '=HYPERLINK("http://evil.example","x")' })).body;
    await call(t.adminToken, 'PATCH', `/api/v1/teams/${team.id}`, { payload: { name: '@SUM(1+1)' }, remoteAddress: ADDRESS, requestId: 'req-csv' });

    const res = await call(t.adminToken, 'GET', `/api/v1/audit-log/export?format=csv&aggregateType=team&aggregateId=${team.id}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=vigie-audit-2026-05-20.csv');
    expect([...res.raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.raw.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Time (UTC),Event,Actor,Actor e-mail,Address,Request ID,Target type,Target ID,Target,Changes');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(`2026-05-20T12:00:00.000Z,team.updated,${adminName},${ADMIN.email},${ADDRESS},req-csv,team,${team.id},'@SUM(1+1),"name: ""=HYPERLINK(\\""http://evil.example\\"",\\""x\\"")"" → ""@SUM(1+1)"""`);
    expect(lines[2]).toMatch(/^2026-05-20T12:00:00\.000Z,team\.created,/);
    for (const line of lines) for (const cell of line.split(',')) expect(cell).not.toMatch(/^"?[=+\-@]/);

    const all = await call(t.adminToken, 'GET', '/api/v1/audit-log/export');
    const rows = all.raw.toString('utf8').trimEnd().split('\r\n').length - 1;
    expect(rows).toBe((await log('?limit=200')).items.length);
  });

  it('is for admins only', async () => {
    const org = await f.organization();
    for (const [role, fields] of [['manager', {}], ['agent', {}], ['requester', { orgId: org.id }]] as const) {
      const u = await f.user(role, fields);
      for (const url of ['/api/v1/audit-log', '/api/v1/audit-log/export?format=csv']) {
        const res = await call(u.token, 'GET', url);
        expect(res.status, `${role} ${url}`).toBe(403);
        expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
      }
    }
    expect((await t.app.inject({ url: '/api/v1/audit-log' })).statusCode).toBe(401);
  });
});

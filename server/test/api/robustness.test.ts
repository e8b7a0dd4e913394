import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factories } from '../factories.ts';
import { ADMIN, DIALECTS, signIn, startTestApp, type TestApp } from '../test-app.ts';

/**
 * Hostile or broken input answers 4xx problem+json, never 500 — on PostgreSQL above all, where ids are 32-bit
 * integers and a value beyond them fails the query: cursors, ids in paths and queries, multipart bodies.
 */
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const BEYOND = 2 ** 31;

describe.each(DIALECTS)('robustness on %s', (dialect) => {
  let t: TestApp;
  let incident: { id: number; ref: string; orgId: number };
  beforeAll(async () => {
    t = await startTestApp(dialect);
    const f = factories(t);
    incident = await f.incident(f.admin, { orgId: (await f.organization()).id });
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.app.inject({ url, headers: { authorization: `Bearer ${t.adminToken}` } });

  function expectBadRequest(res: Awaited<ReturnType<typeof get>>, what: string) {
    expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
    expect(res.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  }

  const lists = () => [
    '/api/v1/organizations', '/api/v1/people', '/api/v1/users', '/api/v1/teams', '/api/v1/services', '/api/v1/calendars',
    '/api/v1/sla-policies', `/api/v1/incidents/${incident.id}/timeline`,
    '/api/v1/incidents', '/api/v1/incidents?sort=priority', '/api/v1/incidents?sort=-updatedAt', '/api/v1/incidents?sort=ttrDueAt',
  ];

  it('every list answers 400 for a cursor beyond the 32-bit ids, or otherwise not its own', async () => {
    const cursors = {
      'id above 2^31-1': (sortValue: unknown) => b64([sortValue, BEYOND]),
      'id of 2^53': (sortValue: unknown) => b64([sortValue, 2 ** 53]),
      'negative id': (sortValue: unknown) => b64([sortValue, -1]),
      'fractional id': (sortValue: unknown) => b64([sortValue, 1.5]),
      'id as a string': (sortValue: unknown) => b64([sortValue, '1']),
      'sort value above 2^31-1': () => b64([BEYOND, 1]),
      'not base64 JSON': () => '%%%',
    };
    for (const list of lists()) {
      const sortValue = list.includes('sort=priority') ? 3 : list.includes('/incidents') && !list.includes('timeline') ? '2026-01-01T00:00:00.000Z' : 1;
      for (const [what, cursor] of Object.entries(cursors)) {
        const sep = list.includes('?') ? '&' : '?';
        expectBadRequest(await get(`${list}${sep}cursor=${encodeURIComponent(cursor(sortValue))}`), `${list} ${what}`);
      }
      // The cursors the server writes keep working.
      const first = await get(`${list}${list.includes('?') ? '&' : '?'}limit=1`);
      expect(first.statusCode, list).toBe(200);
    }
  });

  it('ids beyond the 32-bit range answer 400 in paths and queries, the largest one 404', async () => {
    const records = ['organizations', 'people', 'users', 'teams', 'services', 'calendars', 'sla-policies', 'incidents', 'attachments'];
    for (const resource of records) {
      expectBadRequest(await get(`/api/v1/${resource}/${BEYOND}`), resource);
      expectBadRequest(await get(`/api/v1/${resource}/99999999999999999999`), `${resource} (20 digits)`);
      expect((await get(`/api/v1/${resource}/${BEYOND - 1}`)).statusCode, resource).toBe(404);
    }
    expectBadRequest(await get(`/api/v1/incidents/I-${BEYOND}`), 'reference');
    expectBadRequest(await get(`/api/v1/incidents/${BEYOND}/timeline`), 'timeline');
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/incidents/${BEYOND}`, headers: { authorization: `Bearer ${t.adminToken}` }, payload: { title: 'x' } });
    expectBadRequest(patch, 'PATCH');
    for (const query of [`orgId=${BEYOND}`, `teamId=1,${BEYOND}`, `callerId=${BEYOND}`, `parentId=${BEYOND}`]) {
      expectBadRequest(await get(`/api/v1/incidents?${query}`), query);
    }
    // A reference searched for beyond the largest id finds nothing (no query error).
    const search = await get(`/api/v1/incidents?q=I-${'9'.repeat(12)}`);
    expect(search.statusCode).toBe(200);
    expect(search.json().items).toEqual([]);
    // Ids in bodies too.
    const body = await t.app.inject({ method: 'PATCH', url: `/api/v1/incidents/${incident.id}`, headers: { authorization: `Bearer ${t.adminToken}` }, payload: { parentId: BEYOND } });
    expectBadRequest(body, 'parentId in a body');
  });

  it('timestamps no database can store, or that are no real date, answer 400 in cursors, filters and bodies', async () => {
    const send = (method: 'POST', url: string, payload: object) => t.app.inject({ method, url, headers: { authorization: `Bearer ${t.adminToken}` }, payload });
    // Date.parse rolls 30 February over to 2 March; PostgreSQL refuses it, and year 0 (which zod's format allows).
    for (const date of ['2026-02-30T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '+010000-01-01T00:00:00.000Z', '2026-03-02T08:00:00Z']) {
      for (const sort of ['-createdAt', 'createdAt', 'updatedAt', '-reportedAt', 'ttrDueAt']) {
        expectBadRequest(await get(`/api/v1/incidents?sort=${sort}&cursor=${b64([date, 1])}`), `${sort} cursor at ${date}`);
      }
    }
    const impossible = ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '1970-01-01T00:30:00+01:00', '9999-12-31T23:59:59-01:00', '2026-02-30T00:00:00Z', '2026-02-29T00:00:00+02:00'];
    const ok = '2026-03-02T10:00:00+02:00';
    for (const at of impossible.map(encodeURIComponent)) {
      expectBadRequest(await get(`/api/v1/incidents?createdFrom=${at}`), `createdFrom=${at}`);
      expectBadRequest(await get(`/api/v1/incidents?createdTo=${at}`), `createdTo=${at}`);
      expectBadRequest(await get(`/api/v1/audit-log?from=${at}`), `audit from=${at}`);
      expectBadRequest(await get(`/api/v1/audit-log/export?to=${at}`), `audit export to=${at}`);
      expectBadRequest(await get(`/api/v1/reports/sla?from=${at}&to=${encodeURIComponent(ok)}`), `SLA report from=${at}`);
    }
    const calendar = await send('POST', '/api/v1/calendars', { name: 'Robust', timezone: 'UTC', hours: [{ day: 1, start: '09:00', end: '17:00' }] });
    expect(calendar.statusCode, calendar.body).toBe(201);
    // API tokens are created from a signed-in session only.
    const { session } = await signIn(t.app, ADMIN.email, ADMIN.password);
    for (const at of impossible) {
      const token = await t.app.inject({ method: 'POST', url: '/api/v1/api-tokens', cookies: { vigie_session: session }, payload: { name: 'far', expiresAt: at } });
      expectBadRequest(token, `expiresAt ${at}`);
      expectBadRequest(await send('POST', '/api/v1/incidents', { orgId: incident.orgId, title: 'Old', reportedAt: at }), `reportedAt ${at}`);
      expectBadRequest(await send('POST', `/api/v1/calendars/${calendar.json().id}/deadline`, { start: at, minutes: 60 }), `deadline from ${at}`);
      expectBadRequest(await send('POST', `/api/v1/calendars/${calendar.json().id}/business-minutes`, { from: at, to: ok }), `business minutes from ${at}`);
    }
    // Offsets, the edges of the range and the server's own cursors keep working.
    for (const url of [
      `/api/v1/incidents?createdFrom=${encodeURIComponent(ok)}`, '/api/v1/incidents?createdFrom=1970-01-01T00:00:00Z&createdTo=9999-12-31T23:59:59Z',
      `/api/v1/audit-log?from=${encodeURIComponent(ok)}`, `/api/v1/reports/sla?from=2024-02-29T00:00:00Z&to=${encodeURIComponent(ok)}`,
      `/api/v1/incidents?sort=-createdAt&cursor=${b64(['2026-03-02T08:00:00.000Z', 1])}`, `/api/v1/incidents?sort=ttrDueAt&cursor=${b64(['9999-12-31T23:59:59.999Z', 1])}`,
    ]) {
      expect((await get(url)).statusCode, url).toBe(200);
    }
  });

  it('the audit log refuses a cursor it did not write like every other list: 400', async () => {
    for (const cursor of [b64([0, 0]), b64([1, 0]), b64([1, BEYOND]), 'nonsense']) expectBadRequest(await get(`/api/v1/audit-log?cursor=${cursor}`), cursor);
  });

  it('malformed multipart bodies answer 400', async () => {
    const b = 'vigieRobust';
    const good = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${b}--\r\n`;
    const bodies: Record<string, [string, string]> = {
      'wrong boundary': [`multipart/form-data; boundary=another`, good],
      'no boundary': ['multipart/form-data', good],
      'truncated body': [`multipart/form-data; boundary=${b}`, good.slice(0, 70)],
      'not multipart at all': [`multipart/form-data; boundary=${b}`, '\u0000\u0001 garbage'],
      'a field where a file is expected': [`multipart/form-data; boundary=${b}`, `--${b}\r\nContent-Disposition: form-data; name="file"\r\n\r\nhello\r\n--${b}--\r\n`],
      'a file where a field is expected': [
        `multipart/form-data; boundary=${b}`,
        `--${b}\r\nContent-Disposition: form-data; name="visibility"; filename="v.txt"\r\n\r\ninternal\r\n${good.slice(0)}`,
      ],
      'an unknown part': [`multipart/form-data; boundary=${b}`, `--${b}\r\nContent-Disposition: form-data; name="other"\r\n\r\nx\r\n${good}`],
    };
    for (const [what, [contentType, payload]] of Object.entries(bodies)) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/incidents/${incident.id}/attachments`,
        headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': contentType },
        payload,
      });
      expectBadRequest(res, what);
    }
    expect((await get(`/api/v1/incidents/${incident.id}/attachments`)).json().items).toEqual([]);
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.ref}/attachments`,
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': `multipart/form-data; boundary=${b}` },
      payload: good,
    });
    expect(ok.statusCode).toBe(201);
  });
});

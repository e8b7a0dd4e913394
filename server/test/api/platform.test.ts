import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from '../test-app.ts';

/** What every deployment relies on: probes, the API document and docs, problem+json errors, request ids. */
describe.each(DIALECTS)('platform on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(dialect);
  });
  afterAll(() => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const auth = () => ({ authorization: `Bearer ${t.adminToken}` });

  it('/healthz and /readyz answer without signing in', async () => {
    const health = await get('/healthz');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('/api/openapi.json is an OpenAPI 3.1 document of the DESIGN.md resources', async () => {
    const res = await get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.json() as { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, any>>; components: Record<string, any> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBeTruthy();
    const paths = Object.keys(doc.paths);
    const operations = (path: string) => Object.keys(doc.paths[path] ?? {}).sort();
    expect(operations('/api/v1/auth/login')).toEqual(['post']);
    expect(operations('/api/v1/auth/logout')).toEqual(['post']);
    expect(operations('/api/v1/me')).toEqual(['get']);
    expect(operations('/api/v1/api-tokens')).toEqual(['get', 'post']);
    for (const resource of ['organizations', 'people', 'users', 'teams', 'services']) {
      expect(operations(`/api/v1/${resource}`), resource).toEqual(['get', 'post']);
      expect(operations(`/api/v1/${resource}/{id}`), resource).toEqual(expect.arrayContaining(['delete', 'get', 'patch']));
    }
    expect(operations('/api/v1/incidents')).toEqual(['get', 'post']);
    expect(operations('/api/v1/incidents/{id}')).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(operations('/api/v1/incidents/{id}/transitions')).toEqual(['post']);
    expect(operations('/api/v1/incidents/{id}/comments')).toEqual(['post']);
    expect(operations('/api/v1/incidents/{id}/timeline')).toEqual(['get']);
    // Generated from the same Zod schemas as the validation: bodies, parameters and responses are described.
    const create = doc.paths['/api/v1/incidents']!.post;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toContain('title');
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['orgId', 'callerId', 'title', 'description', 'channel', 'impact', 'urgency']));
    expect(body.properties.channel.enum).toEqual(['portal', 'email', 'phone', 'api', 'monitoring']);
    const incident = create.responses['201'].content['application/json'].schema;
    expect(Object.keys(incident.properties)).toEqual(expect.arrayContaining([
      'id', 'ref', 'orgId', 'callerId', 'title', 'description', 'channel', 'status', 'pendingReason', 'impact', 'urgency', 'priority',
      'reportedAt', 'serviceId', 'ciIds', 'teamId', 'agentId', 'parentId', 'problemId', 'resolutionCode', 'resolution',
      'createdAt', 'updatedAt', 'resolvedAt', 'closedAt',
    ]));
    const list = doc.paths['/api/v1/incidents']!.get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(expect.arrayContaining(['limit', 'cursor', 'status', 'priority', 'orgId', 'teamId', 'agentId', 'channel', 'createdFrom', 'createdTo', 'q', 'sort']));
    const user = doc.paths['/api/v1/users']!.post.responses['201'].content['application/json'].schema;
    expect(Object.keys(user.properties)).toEqual(expect.arrayContaining(['id', 'email', 'name', 'role', 'orgId', 'orgScope', 'locale']));
    expect(Object.keys(user.properties)).not.toContain('password');
    const org = doc.paths['/api/v1/organizations']!.post.responses['201'].content['application/json'].schema;
    expect(Object.keys(org.properties)).toEqual(expect.arrayContaining(['id', 'name', 'code', 'locale', 'timezone', 'maturityLevel']));
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
    // Probes and the document itself are not API resources.
    expect(paths.every((p) => p.startsWith('/api/v1/'))).toBe(true);
  });

  it('/api/docs answers the interactive documentation as HTML', async () => {
    let res = await get('/api/docs');
    for (let hops = 0; hops < 3 && res.statusCode >= 300 && res.statusCode < 400; hops++) res = await get(String(res.headers.location));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
  });

  it('an unknown route is a 404 problem+json', async () => {
    for (const [url, headers] of [['/nope', {}], ['/api/v1/nope', auth()], ['/api/v2/incidents', {}]] as const) {
      const res = await get(url, headers);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ type: expect.any(String), status: 404, title: 'Not Found', detail: expect.any(String) });
    }
    const wrongMethod = await t.app.inject({ method: 'PUT', url: '/api/v1/incidents', headers: auth(), payload: {} });
    expect(wrongMethod.statusCode).toBe(404);
    expect(wrongMethod.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a malformed JSON body is a 400 problem+json', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { ...auth(), 'content-type': 'application/json' },
      payload: '{"title": "broken",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, title: 'Bad Request', detail: expect.any(String) });
    expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('an invalid body is a 400 problem+json with errors[].path', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: auth(), payload: { title: '', impact: 9 } });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['title', 'impact']));
    for (const e of res.json().errors) expect(e).toEqual({ path: expect.any(String), message: expect.any(String) });
  });

  it('an unsupported content type is a 415 problem+json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/services', headers: { ...auth(), 'content-type': 'application/xml' }, payload: '<service/>' });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('echoes x-request-id, or makes one up', async () => {
    const echoed = await get('/healthz', { 'x-request-id': 'trace-abc-123' });
    expect(echoed.headers['x-request-id']).toBe('trace-abc-123');
    const apiEchoed = await get('/api/v1/me', { ...auth(), 'x-request-id': 'trace-def-456' });
    expect(apiEchoed.headers['x-request-id']).toBe('trace-def-456');
    const onError = await get('/api/v1/me', { 'x-request-id': 'trace-err-789' });
    expect(onError.statusCode).toBe(401);
    expect(onError.headers['x-request-id']).toBe('trace-err-789');
    const made = await get('/healthz');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await get('/healthz')).headers['x-request-id']).not.toBe(made.headers['x-request-id']);
    // An absurdly long id is replaced, not echoed into logs and headers.
    const long = await get('/healthz', { 'x-request-id': 'x'.repeat(500) });
    expect(String(long.headers['x-request-id']).length).toBeLessThanOrEqual(100);
    expect(String(long.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
    // Ids of the usual tracers pass as they are.
    for (const id of ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'req:42.a_b']) {
      expect((await get('/healthz', { 'x-request-id': id })).headers['x-request-id'], id).toBe(id);
    }
  });

  it('takes no request id of the client’s making into logs and the audit log, only plain ids', async () => {
    const forged = ['fake" level=error msg="admin logged in', '<script>alert(1)</script>', 'id with spaces', 'é-accentué', 'x'.repeat(101)];
    for (const id of forged) {
      const res = await get('/healthz', { 'x-request-id': id });
      expect(res.headers['x-request-id'], id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/services', headers: { ...auth(), 'x-request-id': forged[0]! }, payload: { name: 'Traced service' } });
    expect(res.statusCode).toBe(201);
    const event = await t.database.db.selectFrom('events').select('request_id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(event.request_id).toBe(res.headers['x-request-id']);
    expect(event.request_id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

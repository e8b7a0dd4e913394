import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/db/create-db.ts';
import { apiToken, sleep, startServer, stopAll, testDatabase } from './server-process.ts';
import { DIALECTS } from './test-app.ts';

/**
 * The real server process, over real HTTP on loopback: an acknowledged creation (201) survives SIGKILL
 * with its outbox event, and SIGTERM lets the request in flight finish.
 */
const CLIENTS = 8;
const LOAD_MS = 1_500;

afterEach(stopAll);

describe.each(DIALECTS)('the server process on %s', (dialect) => {
  it(
    'keeps every acknowledged incident, with its event, when killed with SIGKILL under load',
    async () => {
      const target = await testDatabase(dialect);
      const { url } = target;
      const first = await startServer(target);
      const token = await apiToken(first.base);
      const orgId = await createOrganization(first.base, token);

      // Eight clients create incidents as fast as they can until the server dies under them.
      const acked: { id: number; title: string }[] = [];
      let refused = 0;
      const loops = Array.from({ length: CLIENTS }, async (_, client) => {
        for (let n = 0; ; n++) {
          const title = `Crash test ${client}-${n}`;
          let res: Response;
          try {
            res = await fetch(`${first.base}/api/v1/incidents`, {
              method: 'POST',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ orgId, title, description: 'Créé pendant le test de crash', impact: 3, urgency: 3 }),
              signal: AbortSignal.timeout(10_000),
            });
          } catch {
            return; // the server is gone
          }
          // Acknowledged once the status line arrived; the body may be cut off by the kill.
          if (res.status === 201) acked.push({ id: Number(res.headers.get('location')!.split('/').pop()), title });
          else refused++;
          await res.arrayBuffer().catch(() => undefined);
        }
      });
      await sleep(LOAD_MS);
      first.child.kill('SIGKILL');
      const [, signal] = await first.exited;
      expect(signal).toBe('SIGKILL');
      await Promise.all(loops);
      expect(refused).toBe(0);
      // A busy machine may acknowledge few in 1.5 s; a handful is enough to prove the point.
      expect(acked.length).toBeGreaterThan(5);

      // Restarted on the same database, every acknowledged incident is there.
      const second = await startServer(target);
      const missing: number[] = [];
      for (let i = 0; i < acked.length; i += 16) {
        await Promise.all(
          acked.slice(i, i + 16).map(async ({ id, title }) => {
            const res = await fetch(`${second.base}/api/v1/incidents/${id}`, { headers: { authorization: `Bearer ${token}` } });
            if (res.status !== 200 || (await res.json()).title !== title) missing.push(id);
          }),
        );
      }
      expect(missing).toEqual([]);

      // …with its outbox event and timeline entry, and no incident was half-written.
      const database = createDatabase(url, { poolSize: 2 });
      try {
        const rows = await database.db
          .selectFrom('incidents')
          .leftJoin('events', (j) => j.onRef('events.aggregate_id', '=', 'incidents.id').on('events.aggregate_type', '=', 'incident').on('events.type', '=', 'incident.created'))
          .leftJoin('timeline_entries', (j) => j.onRef('timeline_entries.incident_id', '=', 'incidents.id').on('timeline_entries.event', '=', 'created'))
          .select(['incidents.id', 'events.id as eventId', 'timeline_entries.id as entryId'])
          .where('incidents.org_id', '=', orgId)
          .execute();
        const ids = new Set(rows.map((r) => r.id));
        expect(acked.filter((a) => !ids.has(a.id))).toEqual([]);
        expect(rows.filter((r) => r.eventId === null || r.entryId === null)).toEqual([]);
        expect(rows.length).toBeGreaterThanOrEqual(acked.length);
      } finally {
        await database.close();
      }

      second.child.kill('SIGTERM');
      expect(await second.exited).toEqual([0, null]);
    },
    120_000,
  );

  it(
    'finishes the request in flight on SIGTERM, refuses new ones, and exits cleanly',
    async () => {
      const target = await testDatabase(dialect);
      const { url } = target;
      const server = await startServer(target);
      const token = await apiToken(server.base);
      const orgId = await createOrganization(server.base, token);

      // A request whose body is still on its way when SIGTERM arrives.
      const body = Buffer.from(JSON.stringify({ orgId, title: 'Arrivé pendant l’arrêt', description: 'x'.repeat(2000) }));
      const request = http.request(`${server.base}/api/v1/incidents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length },
      });
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        request.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        });
        request.on('error', reject);
      });
      request.write(body.subarray(0, 100));
      await sleep(300);
      server.child.kill('SIGTERM');
      await sleep(500);
      expect(server.child.exitCode).toBeNull();

      // New connections are no longer served while the server drains.
      const late = await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 'refused');
      expect([503, 'refused']).toContain(late);

      request.end(body.subarray(100));
      const res = await response;
      expect(res.status).toBe(201);
      const created = JSON.parse(res.body) as { id: number };
      // Promptly: the connection left idle (keep-alive) after the last response does not hold the exit.
      const drained = Date.now();
      expect(await server.exited).toEqual([0, null]);
      expect(Date.now() - drained).toBeLessThan(3_000);

      const database = createDatabase(url, { poolSize: 2 });
      try {
        const row = await database.db.selectFrom('incidents').select('title').where('id', '=', created.id).executeTakeFirst();
        expect(row?.title).toBe('Arrivé pendant l’arrêt');
      } finally {
        await database.close();
      }
    },
    90_000,
  );
});

async function createOrganization(base: string, token: string): Promise<number> {
  const res = await fetch(`${base}/api/v1/organizations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Clinique du Crash', code: 'CRASH', locale: 'fr', timezone: 'Europe/Paris' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

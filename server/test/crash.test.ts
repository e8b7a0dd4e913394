import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../src/db/create-db.ts';
import { createTestDatabase, DIALECTS } from './test-app.ts';

/**
 * The real server process, over real HTTP on loopback: an acknowledged creation (201) survives SIGKILL
 * with its outbox event, and SIGTERM lets the request in flight finish.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ADMIN = { email: 'admin@crash.test', password: 'crash-test-password' };
const CLIENTS = 8;
const LOAD_MS = 1_500;

const running = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

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
      expect(acked.length).toBeGreaterThan(20);

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

interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

async function testDatabase(dialect: (typeof DIALECTS)[number]) {
  const target = await createTestDatabase(dialect);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-crash-'));
  cleanups.push(async () => {
    await target.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { url: target.url, dataDir };
}

/** Starts `node --import tsx server/src/main.ts` on a free loopback port and waits until it is ready. */
async function startServer({ url: databaseUrl, dataDir }: { url: string; dataDir: string }): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      VIGIE_ADMIN_EMAIL: ADMIN.email,
      VIGIE_ADMIN_PASSWORD: ADMIN.password,
      VIGIE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve([code, signal]);
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The server exited before it was ready:\n${output}`);
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ready) return { child, base, exited };
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`The server was not ready within 60 s:\n${output}`);
}

async function apiToken(base: string): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('vigie_session='))!.split(';')[0]!;
  const token = await fetch(`${base}/api/v1/api-tokens`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'crash test' }) });
  expect(token.status).toBe(201);
  return ((await token.json()) as { token: string }).token;
}

async function createOrganization(base: string, token: string): Promise<number> {
  const res = await fetch(`${base}/api/v1/organizations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Clinique du Crash', code: 'CRASH', locale: 'fr', timezone: 'Europe/Paris' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { createTestDatabase, DIALECTS } from './test-app.ts';

/** The real server as a child process on loopback, for tests of crashes, shutdowns and several nodes. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ADMIN = { email: 'admin@process.test', password: 'process-test-password' };

const running = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];

/** Kills every server still running and drops every database made here; call it in afterEach. */
export async function stopAll(): Promise<void> {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  for (const cleanup of cleanups.splice(0)) await cleanup();
}

export interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
}

export async function testDatabase(dialect: (typeof DIALECTS)[number]) {
  const target = await createTestDatabase(dialect);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-process-'));
  cleanups.push(async () => {
    await target.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return { url: target.url, dataDir };
}

/** Starts `server/src/main.ts` on a free port and waits until /readyz answers (60 s at most). */
export async function startServer({ url: databaseUrl, dataDir }: { url: string; dataDir: string }, args: string[] = []): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...args], {
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

/** Signs in as the first admin and returns a new API token. */
export async function apiToken(base: string): Promise<string> {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('vigie_session='))!.split(';')[0]!;
  const token = await fetch(`${base}/api/v1/api-tokens`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'process test' }) });
  expect(token.status).toBe(201);
  return ((await token.json()) as { token: string }).token;
}

export function freePort(): Promise<number> {
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

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

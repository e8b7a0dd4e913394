import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ADMIN = { email: 'admin@e2e.test', password: 'admin-password-123' };

export interface RunningServer {
  url: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** An existing SQLite file to serve (default: a fresh one in the data folder, removed on stop). */
  databaseFile?: string;
  /** `server/src/demo/main.ts` seeds the demo data set first (`npm run demo`). */
  entry?: 'main' | 'demo';
  env?: Record<string, string>;
}

/** Starts the real Vigie server (built web app included) on a fresh SQLite database and a free port. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-e2e-'));
  const port = await freePort();
  const entry = options.entry === 'demo' ? 'server/src/demo/main.ts' : 'server/src/main.ts';
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      VIGIE_DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${options.databaseFile ?? path.join(dataDir, 'vigie.db')}`,
      VIGIE_ADMIN_EMAIL: ADMIN.email,
      VIGIE_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // If this process ends without stop() (an interrupted script), the server goes with it.
  const orphan = () => child.kill('SIGTERM');
  process.once('exit', orphan);
  const url = `http://127.0.0.1:${port}`;
  // The demo seeds a few hundred incidents before listening.
  const deadline = Date.now() + (options.entry === 'demo' ? 180_000 : 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('server did not start in time');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dataDir,
    process: child,
    async stop() {
      process.off('exit', orphan);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

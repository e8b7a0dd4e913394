import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { type AppDeps, buildApp } from '../src/app.ts';
import { ensureFirstAdmin } from '../src/bootstrap.ts';
import { createDatabase, type Database } from '../src/db/create-db.ts';
import type { Dialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Clock } from '../src/lib/clock.ts';

/**
 * Every dialect the integration suite runs on: SQLite always, PostgreSQL when VIGIE_TEST_PG_URL is set
 * (e.g. postgres://postgres@127.0.0.1:5432/postgres). Each test app gets a database of its own.
 */
export const DIALECTS: Dialect[] = process.env.VIGIE_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export const ADMIN = { email: 'admin@test.local', password: 'admin-password-123' };

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** An API token of the first admin. */
  adminToken: string;
  close(): Promise<void>;
}

/** A mutable clock for tests that need time to pass. */
export function testClock(start = '2026-03-02T09:00:00.000Z'): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    set: (iso) => void (now = new Date(iso).getTime()),
    advance: (ms) => void (now += ms),
  };
}

export async function createTestDatabase(dialect: Dialect): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-test-'));
    return { url: `sqlite:${path.join(dir, 'vigie.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env.VIGIE_TEST_PG_URL!;
  const name = `vigie_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function startTestApp(dialect: Dialect, opts: { clock?: Clock; attachmentMaxBytes?: number; trustProxy?: AppDeps['trustProxy'] } = {}): Promise<TestApp> {
  const target = await createTestDatabase(dialect);
  const database = createDatabase(target.url, { poolSize: 5 });
  await migrateToLatest(database.db);
  const clock = opts.clock ?? { now: () => new Date() };
  await ensureFirstAdmin(database.db, clock, { adminEmail: ADMIN.email, adminPassword: ADMIN.password, providerName: 'Test Provider' }, { info() {}, warn() {} } as never);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-data-'));
  const app = await buildApp({ database, clock, logger: false, dataDir, serveWebApp: false, attachmentMaxBytes: opts.attachmentMaxBytes, trustProxy: opts.trustProxy });
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ADMIN });
  const cookie = login.cookies.find((c) => c.name === 'vigie_session')!;
  const token = await app.inject({ method: 'POST', url: '/api/v1/api-tokens', cookies: { vigie_session: cookie.value }, payload: { name: 'tests' } });
  return {
    app,
    database,
    adminToken: token.json().token,
    async close() {
      await app.close();
      await database.close();
      await target.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

/**
 * A small HTTP client over `inject()`, authenticated by an API token, or by a session cookie with `{ session }`
 * (account security answers only to a session).
 */
export function client(app: FastifyInstance, credential?: string | { session: string }) {
  const call = async <T = any>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<Reply<T>> => {
    const res = await app.inject({
      method,
      url,
      headers: typeof credential === 'string' ? { authorization: `Bearer ${credential}` } : {},
      ...(typeof credential === 'object' && { cookies: { vigie_session: credential.session } }),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T, headers: res.headers };
  };
  return {
    get: <T = any>(url: string) => call<T>('GET', url),
    post: <T = any>(url: string, body?: unknown) => call<T>('POST', url, body ?? {}),
    patch: <T = any>(url: string, body: unknown) => call<T>('PATCH', url, body),
    delete: <T = any>(url: string, body?: unknown) => call<T>('DELETE', url, body),
  };
}

/** Signs in with a password (a user without a second factor): a client of that session, and the cookie's value. */
export async function signIn(app: FastifyInstance, email: string, password: string): Promise<{ session: string; as: Client }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${email}: ${res.statusCode} ${res.body}`);
  const session = res.cookies.find((c) => c.name === 'vigie_session')!.value;
  return { session, as: client(app, { session }) };
}
export type Client = ReturnType<typeof client>;

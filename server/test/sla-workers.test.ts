import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../src/db/create-db.ts';
import { apiToken, type Server, sleep, startServer, stopAll, testDatabase } from './server-process.ts';

/**
 * Worker processes against one PostgreSQL: every SLA escalation (warning and breach of TTO and TTR) is
 * recorded exactly once — one domain event and one timeline entry — with two workers at once, and when a
 * worker is killed in the middle of an escalation's transaction.
 */
const INCIDENTS = 200;
const KINDS = ['tto_warning', 'tto_breached', 'ttr_warning', 'ttr_breached'];
const WAIT_MS = 40_000;

afterEach(stopAll);

describe.skipIf(!process.env.VIGIE_TEST_PG_URL)('SLA escalations with several workers on PostgreSQL', () => {
  it('records each escalation once with two workers', { timeout: 120_000 }, async () => {
    const { target, db, ids } = await incidentsAllDue();
    try {
      expect(await pending(db)).toBe(INCIDENTS);
      await Promise.all([startWorker(target), startWorker(target)]);
      await untilNonePending(db);
      await expectEachEscalationOnce(db, ids);
    } finally {
      await db.close();
    }
  });

  it('records each escalation once when a worker is killed mid-way', { timeout: 120_000 }, async () => {
    const { target, db, ids } = await incidentsAllDue();
    const half = ids.slice(INCIDENTS / 2);
    const rowLocks = await pgClient(target.url);
    const eventsLock = await pgClient(target.url);
    try {
      // Worker A escalates the first half; the second half is held, so it skips those.
      await rowLocks.query('begin');
      await rowLocks.query('select id from incidents where id = any($1) for update', [half]);
      const a = await startWorker(target);
      await until(async () => (await pending(db)) === half.length, 'worker A escalated the first half');

      // Its next run claims an incident of the second half, writes the flags and the timeline entries, then
      // waits on the events table: killed there, it dies with an open transaction holding that claim.
      await eventsLock.query('begin');
      await eventsLock.query('lock table events in share mode');
      await rowLocks.query('commit');
      await until(async () => (await waitersOnEvents(db)) > 0, 'worker A waits inside an escalation');
      a.child.kill('SIGKILL');
      await a.exited;
      await eventsLock.query('commit');
      expect(await pending(db)).toBe(half.length);

      await startWorker(target);
      await untilNonePending(db);
      await expectEachEscalationOnce(db, ids);
    } finally {
      await Promise.all([rowLocks.end(), eventsLock.end()]);
      await db.close();
    }
  });
});

/** A fresh database, one web node to set it up through the API, and INCIDENTS incidents whose four escalations are all due. */
async function incidentsAllDue() {
  const target = await testDatabase('postgres');
  const web = await startServer(target, ['--role', 'web']);
  const token = await apiToken(web.base);
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${web.base}/api/v1${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const org = await call('POST', '/organizations', { name: 'Clinique des Deux Ouvriers', code: 'TWO', locale: 'fr', timezone: 'Europe/Paris', maturityLevel: 2 });
  const calendar = await call('POST', '/calendars', { name: '24/7', timezone: 'UTC', hours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' })) });
  await call('POST', '/sla-policies', { name: 'Short', calendarId: calendar.id, warnAtPercent: 50, targets: [{ priority: 3, ttoMinutes: 2, ttrMinutes: 4 }] });
  // Reported an hour ago (a logged phone call): every warning and breach is already due.
  const reportedAt = new Date(Date.now() - 3_600_000).toISOString();
  const ids: number[] = [];
  for (let i = 0; i < INCIDENTS; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, INCIDENTS - i) }, (_, k) => call('POST', '/incidents', { orgId: org.id, title: `Escalade ${i + k}`, impact: 3, urgency: 3, reportedAt })),
    );
    ids.push(...batch.map((b: { id: number; priority: number }) => (expect(b.priority).toBe(3), b.id)));
  }
  web.child.kill('SIGTERM');
  await web.exited;
  return { target, db: createDatabase(target.url, { poolSize: 2 }), ids };
}

function startWorker(target: { url: string; dataDir: string }): Promise<Server> {
  return startServer(target, ['--role', 'worker']);
}

async function pending(database: Database): Promise<number> {
  const row = await database.db.selectFrom('incidents').select((eb) => eb.fn.countAll().as('n')).where('sla_next_check_at', '<=', new Date().toISOString()).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function untilNonePending(database: Database) {
  await until(async () => (await pending(database)) === 0, 'no escalation left due');
}

async function until(condition: () => Promise<boolean>, what: string) {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Not within ${WAIT_MS / 1000} s: ${what}`);
    await sleep(50);
  }
}

async function waitersOnEvents(database: Database): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'events' and not l.granted`.execute(database.db);
  return Number(rows[0]!.n);
}

async function expectEachEscalationOnce(database: Database, ids: number[]) {
  const events = await database.db.selectFrom('events').select(['aggregate_id', 'type']).where('type', 'like', 'sla.%').execute();
  const entries = await database.db.selectFrom('timeline_entries').select(['incident_id', 'event']).where('event', 'like', 'sla_%').execute();
  expect(events).toHaveLength(ids.length * KINDS.length);
  expect(entries).toHaveLength(ids.length * KINDS.length);
  const expected = [...KINDS].sort();
  for (const id of ids) {
    expect(events.filter((e) => e.aggregate_id === id).map((e) => e.type.slice('sla.'.length)).sort()).toEqual(expected);
    expect(entries.filter((e) => e.incident_id === id).map((e) => e.event!.slice('sla_'.length)).sort()).toEqual(expected);
  }
  const flags = await database.db.selectFrom('incidents').select(['tto_warned', 'tto_breached', 'ttr_warned', 'ttr_breached', 'sla_next_check_at']).execute();
  expect(flags.filter((f) => f.tto_warned + f.tto_breached + f.ttr_warned + f.ttr_breached !== 4 || f.sla_next_check_at !== null)).toEqual([]);
}

async function pgClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

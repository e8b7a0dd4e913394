/**
 * The raw limit: better-sqlite3 alone, with the server's pragmas and schema (the real migrations),
 * committing one transaction per incident — incident row, full-text row, timeline entry and outbox
 * event — with statements prepared once. No HTTP, no validation, no query builder.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { foldText } from '../server/src/lib/text.ts';
import { incidentText, int, rng } from './data.ts';

export interface RawResult {
  seconds: number;
  transactions: number;
  /** The best round: a limit is what the machine does when nothing else gets in the way. */
  perSecond: number;
  /** Every round, in order, to show how much the machine's other work moved it. */
  rounds: number[];
  cpuUsPerTransaction: number;
}

/** The pragmas of server/src/db/create-db.ts, in the same order. */
export function applyServerPragmas(sqlite: SQLite.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
}

/**
 * Inserts incidents for `rounds` rounds of `seconds` after a one-second warm-up; returns the best round's
 * committed rate. A fresh file unless `copyOf` names a database to start from (the loaded one, to compare
 * like with like).
 */
export async function measureRawSqlite(file: string, seconds: number, rounds: number, copyOf?: string): Promise<RawResult> {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  if (copyOf) fs.copyFileSync(copyOf, file);
  const sqlite = new SQLite(file);
  applyServerPragmas(sqlite);
  const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(kysely);

  const now = new Date().toISOString();
  const org = sqlite.prepare(`insert into organizations (name, code, locale, timezone, maturity_level, is_provider, active, created_at, updated_at) values ('Raw', 'RAWBENCH', 'fr', 'Europe/Paris', 1, 0, 1, ?, ?) returning id`).get(now, now) as { id: number };
  const user = sqlite.prepare(`insert into users (email, name, role, org_scope, portal_scope, active, created_at, updated_at) values ('raw@bench.vigie.local', 'Raw', 'agent', '[]', 'own', 1, ?, ?) returning id`).get(now, now) as { id: number };
  const insertIncident = sqlite.prepare(`insert into incidents (org_id, caller_id, title, description, channel, status, impact, urgency, priority,
      priority_overridden, reported_at, reopen_count, created_by, created_at, updated_at, last_customer_update_at)
    values (${org.id}, null, ?, ?, 'api', 'new', ?, ?, ?, 0, ?, 0, ${user.id}, ?, ?, ?) returning id`);
  const insertFts = sqlite.prepare('insert into incidents_fts (rowid, text) values (?, ?)');
  const insertTimeline = sqlite.prepare(`insert into timeline_entries (org_id, incident_id, kind, visibility, author_id, body, event, changes, created_at)
    values (${org.id}, ?, 'event', 'public', ${user.id}, null, 'created', '[{"field":"status","from":null,"to":"new"}]', ?) returning id`);
  const insertEvent = sqlite.prepare(`insert into events (org_id, type, aggregate_type, aggregate_id, actor_id, payload, created_at, processed_at)
    values (${org.id}, 'incident.created', 'incident', ?, ${user.id}, ?, ?, null)`);

  // Texts prepared up front: the loop measures the database, not string building.
  const random = rng(7);
  const texts = Array.from({ length: 1000 }, () => {
    const t = incidentText(random, 'fr');
    return { ...t, folded: foldText(`${t.title} ${t.description}`), impact: int(random, 1, 3), urgency: int(random, 1, 4) };
  });
  const createOne = sqlite.transaction((i: number) => {
    const t = texts[i % texts.length]!;
    const at = new Date().toISOString();
    const { id } = insertIncident.get(t.title, t.description, t.impact, t.urgency, 3, at, at, at, at) as { id: number };
    insertFts.run(id, t.folded);
    insertTimeline.get(id, at);
    insertEvent.run(id, JSON.stringify({ id, title: t.title, description: t.description, status: 'new', createdAt: at }), at);
  });

  let i = 0;
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) createOne(i++);
  const cpu0 = process.cpuUsage();
  const results: number[] = [];
  let total = 0;
  let elapsed = 0;
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    const until = t0 + seconds * 1000;
    let n = 0;
    while (performance.now() < until) {
      createOne(i++);
      n++;
    }
    const roundSeconds = (performance.now() - t0) / 1000;
    results.push(n / roundSeconds);
    total += n;
    elapsed += roundSeconds;
  }
  const cpu = process.cpuUsage(cpu0);
  await kysely.destroy();
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return { seconds: elapsed, transactions: total, perSecond: Math.max(...results), rounds: results, cpuUsPerTransaction: (cpu.user + cpu.system) / total };
}

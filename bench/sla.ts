/**
 * SLA figures for issue 4, on SQLite and (when reachable) PostgreSQL, each in a fresh database, everything
 * through the domain layer: recomputing the SLA state of N open incidents after a change of targets, and the
 * escalation worker's throughput on a backlog where every warning and breach is due. Also the business-time
 * arithmetic alone (deadline computations and business-minute counts a second). Writes its section of
 * bench/RESULTS.md, between `<!-- sla:start -->` and `<!-- sla:end -->`, and nothing else.
 *
 *   npm run bench:sla [-- --incidents=100000] [-- --runs=1] [-- --only=sqlite|postgres]
 *
 * Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { buildCtx } from '../server/src/app.ts';
import { ensureFirstAdmin } from '../server/src/bootstrap.ts';
import { createCalendar } from '../server/src/calendars/calendar.service.ts';
import type { Ctx } from '../server/src/context.ts';
import { createDatabase } from '../server/src/db/create-db.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { createIncident } from '../server/src/incidents/incident.service.ts';
import { createOrganization } from '../server/src/organizations/organization.service.ts';
import { processDueEscalations } from '../server/src/sla/sla-escalation.service.ts';
import { createSlaPolicy, updateSlaPolicy } from '../server/src/sla/sla-policy.service.ts';
import { recomputeOpenIncidents } from '../server/src/sla/sla-recompute.service.ts';
import { findUserByEmail, toActor } from '../server/src/users/user.repository.ts';
import { benchBusinessMinutes, benchDeadlines } from './business-time.ts';
import { currentCommit, machineInfo } from './report.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const N = Number(arg('incidents') ?? 100_000);
// Escalation runs timed on the backlog; a run handles at most 10,000 incidents (sla-escalation.service.ts).
const RUNS = Number(arg('runs') ?? 1);
const ONLY = arg('only');
const PG_BASE = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const PG_DB = 'vigie_bench_sla';
const DIR = path.resolve(import.meta.dirname, '.tmp');
const RESULTS = path.resolve(import.meta.dirname, 'RESULTS.md');
// Every loop stops at this, whatever the machine.
const TIME_LIMIT_MS = 20 * 60_000;
const START = Date.parse('2026-03-02T08:00:00.000Z');

interface Run {
  dialect: 'sqlite' | 'postgres';
  loadSeconds: number;
  recomputed: number;
  recomputeSeconds: number;
  escalations: number;
  /** Incidents escalated (each with its four escalations). */
  escalated: number;
  breaches: number;
  escalationSeconds: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const load0 = os.loadavg()[0]!;
const runs: Run[] = [];
const skipped: string[] = [];
if (ONLY !== 'postgres') runs.push(await runOn('sqlite', sqliteFile()));
if (ONLY !== 'sqlite') {
  const url = await freshPostgres();
  if (url) {
    try {
      runs.push(await runOn('postgres', url));
    } finally {
      await pgAdmin((c) => c.query(`drop database if exists ${PG_DB} with (force)`));
    }
  } else skipped.push(`PostgreSQL: not reachable at ${PG_BASE}`);
}
log('business-time arithmetic…');
const deadlines = benchDeadlines();
const minutes = benchBusinessMinutes();
const section = render();
const current = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, 'utf8') : '# Vigie benchmark results\n';
const marked = /<!-- sla:start -->[\s\S]*<!-- sla:end -->/;
fs.writeFileSync(RESULTS, marked.test(current) ? current.replace(marked, () => section) : `${current.trimEnd()}\n\n${section}\n`);
log(section);

/** Loads N open incidents, changes the targets, times the recompute, then the escalation of a due backlog. */
async function runOn(dialect: Run['dialect'], url: string): Promise<Run> {
  log(`${dialect}: loading ${N.toLocaleString('en')} open incidents…`);
  // SQLite has one connection; PostgreSQL takes concurrent use cases, as the server would.
  const concurrency = dialect === 'postgres' ? 8 : 1;
  const database = createDatabase(url, { poolSize: concurrency + 2 });
  try {
    await migrateToLatest(database.db);
    let now = new Date(START - 86_400_000);
    const ctx = buildCtx({ database, clock: { now: () => now }, dataDir: DIR });
    await ensureFirstAdmin(database.db, ctx.clock, { adminEmail: 'bench@vigie.local', adminPassword: 'bench-password-123', providerName: 'Bench' }, { info() {}, warn() {} } as never);
    const admin = toActor((await findUserByEmail(database.db, 'bench@vigie.local'))!);
    const org = await createOrganization(ctx, admin, { name: 'Clinique Bench', code: 'BENCH', locale: 'fr', timezone: 'Europe/Paris', maturityLevel: 2, autoCloseDays: 7 });
    const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
    const calendar = await createCalendar(ctx, admin, {
      name: 'Paris',
      timezone: 'Europe/Paris',
      hours: [...weekdays('09:00', '12:00'), ...weekdays('13:00', '17:00')],
      holidays: [{ date: '2026-05-01', name: 'Fête du travail', recurring: true }],
    });
    const policy = await createSlaPolicy(ctx, admin, {
      name: 'Standard',
      calendarId: calendar.id,
      warnAtPercent: 75,
      pauseWhen: ['customer'],
      targets: [1, 2, 3, 4].map((priority) => ({ priority, ttoMinutes: 30 * priority, ttrMinutes: 240 * priority })),
    });

    // N open incidents, reported over four weeks, each created (with its SLA state) at its own instant.
    const t0 = performance.now();
    await forEach(N, concurrency, async (i) => {
      const at = new Date(START + Math.floor((i / N) * 28 * 86_400_000));
      const input = { orgId: org.id, title: `Incident ${i}`, description: 'Bench', impact: 1 + (i % 3), urgency: 1 + (i % 4) };
      await createIncident(ctxAt(ctx, at), admin, input as never, 'api');
      if ((i + 1) % 20_000 === 0) log(`  ${i + 1} created`);
    });
    const loadSeconds = (performance.now() - t0) / 1000;
    if (dialect === 'postgres') await sql`vacuum analyze incidents`.execute(database.db);

    // (a) After a change of targets every open incident's deadlines move: every row is rewritten.
    now = new Date('2026-03-30T08:00:00.000Z');
    await updateSlaPolicy(ctx, admin, policy.id, { targets: [1, 2, 3, 4].map((priority) => ({ priority, ttoMinutes: 20 * priority, ttrMinutes: 300 * priority })) });
    log(`${dialect}: recomputing…`);
    let t1 = performance.now();
    const { recomputed } = await recomputeOpenIncidents(ctx, admin);
    const recomputeSeconds = (performance.now() - t1) / 1000;

    // (b) Two months later all four escalations of every incident are due: RUNS runs of the worker's job on
    // that backlog (one transaction per incident with its timeline entries and outbox events).
    now = new Date('2026-05-30T08:00:00.000Z');
    log(`${dialect}: escalating…`);
    t1 = performance.now();
    let escalations = 0;
    for (let run = 0; run < RUNS && performance.now() - t1 < TIME_LIMIT_MS; run++) {
      const n = await processDueEscalations(ctx);
      if (n === 0) break;
      escalations += n;
    }
    const escalationSeconds = (performance.now() - t1) / 1000;
    const byType = await database.db.selectFrom('events').select(['type', (eb) => eb.fn.countAll().as('n')]).where('type', 'like', 'sla.%').groupBy('type').execute();
    const count = (type: string) => Number(byType.find((t) => t.type === type)?.n ?? 0);
    const breaches = count('sla.tto_breached') + count('sla.ttr_breached');
    const run = { dialect, loadSeconds, recomputed, recomputeSeconds, escalations, escalated: count('sla.ttr_breached'), breaches, escalationSeconds };
    log(`  ${JSON.stringify(run)}`);
    return run;
  } finally {
    await database.close();
  }
}

function render(): string {
  const m = machineInfo();
  const int = (x: number) => Math.round(x).toLocaleString('en');
  const ok = (met: boolean) => (met ? '✅' : '❌');
  const name = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
  const rows = runs.flatMap((r) => {
    const perMinute = (r.breaches / r.escalationSeconds) * 60;
    return [
      `| ${name[r.dialect]} | recompute the SLA state of ${int(r.recomputed)} open incidents after a change of targets | ${r.recomputeSeconds.toFixed(1)} s | < 10 s for 100,000 | ${r.recomputed < 100_000 ? 'n/a (fewer incidents)' : ok(r.recomputeSeconds < 10)} |`,
      `| ${name[r.dialect]} | escalation worker on a due backlog: ${int(r.escalations)} escalations of ${int(r.escalated)} incidents (${int(r.breaches)} breaches) in ${r.escalationSeconds.toFixed(1)} s | ${int(perMinute)} breaches/min (${int((r.escalations / r.escalationSeconds) * 60)} escalations/min) | keeps up with 1,000 breaches/min | ${ok(perMinute >= 1000)} |`,
    ];
  });
  return `<!-- sla:start -->
## SLAs (issue 4)

Written by \`npm run bench:sla\` (bench/sla.ts): fresh databases, everything through the domain layer (the use cases the
API calls). Business-time arithmetic on the Paris office calendar of \`bench/business-time.ts\` (lunch break, holidays).

- **Date:** ${new Date().toISOString()}${currentCommit() ? `, commit ${currentCommit()}` : ''}
- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM; ${m.os}; Node ${m.node}; load average ${load0.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (a shared machine)

| database | measure | result | target | met? |
|---|---|---:|---|---|
| — | deadline computations (targets up to 31 working days) | ${int(deadlines.perSecond)}/s | ≥ 200,000/s | ${ok(deadlines.perSecond >= 200_000)} |
| — | business-minute counts (instants up to a month apart) | ${int(minutes.perSecond)}/s | — | |
${rows.join('\n')}
${skipped.map((s) => `\nNot run: ${s}.`).join('')}
How: ${int(N)} open incidents (priorities 1–4) reported over four weeks are created one by one through \`createIncident\`
(${runs.map((r) => `${name[r.dialect]} ${int(r.loadSeconds)} s`).join(', ')}; PostgreSQL 8 at a time, then \`vacuum analyze\`), each with its SLA state; then every target changes and
\`recomputeOpenIncidents\` rewrites every incident's deadlines, warning instants, flags and next check, in batches of 1,000
(PostgreSQL: each batch's rows locked, written by one UPDATE with the rows as a JSON parameter, two batches in flight). Two months later all four escalations (TTO and TTR
warnings and breaches) of every incident are due, and ${RUNS === 1 ? 'one run of the worker\'s job works' : `${RUNS} runs of the worker's job work`} (\`processDueEscalations\`) through
that backlog, oldest first, each incident claimed with a row lock (\`FOR UPDATE SKIP LOCKED\` on PostgreSQL) and recorded with its timeline
entries and outbox events in one transaction. A worker node runs the job every 10 s (never two runs at once), a run handling
at most 10,000 incidents so that it stays bounded after an outage; several worker nodes share a backlog.
<!-- sla:end -->`;
}

/** The context with the clock at the instant of one operation (concurrent creations each have their own). */
function ctxAt(ctx: Ctx, at: Date): Ctx {
  return { ...ctx, clock: { now: () => at } };
}

/** Runs `fn(0..n-1)` with at most `concurrency` calls in flight, in index order. */
async function forEach(n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const deadline = performance.now() + TIME_LIMIT_MS;
  const worker = async () => {
    while (next < n) {
      if (performance.now() > deadline) throw new Error(`Loading took more than ${TIME_LIMIT_MS / 60_000} min`);
      await fn(next++);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

function sqliteFile(): string {
  const file = path.join(DIR, 'sla.db');
  fs.mkdirSync(DIR, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  return `sqlite:${file}`;
}

/** A fresh database on the PostgreSQL at PG_BASE, or null when none answers within 3 s. */
async function freshPostgres(): Promise<string | null> {
  try {
    await pgAdmin(async (c) => {
      await c.query(`drop database if exists ${PG_DB} with (force)`);
      await c.query(`create database ${PG_DB}`);
    });
    return `${PG_BASE}/${PG_DB}`;
  } catch (err) {
    log(`PostgreSQL not used: ${(err as Error).message}`);
    return null;
  }
}

async function pgAdmin(fn: (c: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: `${PG_BASE}/postgres`, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

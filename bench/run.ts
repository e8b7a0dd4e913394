/**
 * `npm run bench`: the raw better-sqlite3 limit, then for SQLite and PostgreSQL a fresh database loaded
 * with 100,000 incidents through the domain layer, the real server against it, and four autocannon
 * scenarios. Writes bench/RESULTS.md and prints a summary.
 *
 * Options (after `npm run bench --`):
 *   --only=sqlite|postgres   one database only
 *   --reuse-load             reuse the SQLite database loaded by the last run too (bench/.tmp), reporting that load's figure
 *   --fresh                  reload PostgreSQL too (by default its last loaded database is reused when present: its
 *                            load takes minutes on a small machine; the report gives the date of the figure it shows)
 *   --no-wait                do not wait (at most 90 s, before the raw loop and before each server) for a quieter machine
 *   --report-only=FILE       rewrite bench/RESULTS.md from a results JSON of an earlier run (bench/.tmp/results.json)
 *   --incidents=N            default 100000
 *   --seconds=S              measured seconds per scenario, default 10
 *   --scenarios=a,b          subset of create,get,list,search
 *   --profile                one server per scenario under --cpu-prof; prints where the time goes (RESULTS.md untouched)
 * Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432), BENCH_PORT (default 18080).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createApiToken, runScenario, SCENARIOS, type ScenarioName, type ScenarioResult, scenarioContext, type Server, startServer } from './http.ts';
import { type LoadResult, loadDatabase } from './load.ts';
import { summarize } from './profile.ts';
import { measureRawSqlite } from './raw-sqlite.ts';
import { type BenchResults, currentCommit, type DatabaseRun, machineInfo, printSummary, writeResults } from './report.ts';

const TMP = 'bench/.tmp';
const PG_BASE = (process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, '');
const PG_LOADED = 'vigie_bench_loaded';
const PG_RUN = 'vigie_bench';
const PORT = Number(process.env.BENCH_PORT ?? 18080);
// Everything is bounded: the whole run is abandoned after 20 minutes.
const WATCHDOG_MS = 20 * 60_000;
// Functions whose inclusive time the profile summary reports.
const INCLUSIVE = ['authenticate', 'createIncident', 'getIncident', 'listIncidents', 'executeQuery', 'compileQuery', 'transformQuery', 'serialize', 'validate', 'toIncident', 'commitTransaction'];

const args = parseArgs(process.argv.slice(2));
let server: Server | null = null;

const watchdog = setTimeout(() => {
  console.error('bench: watchdog fired after 20 minutes, giving up');
  void server?.stop().finally(() => process.exit(1));
  setTimeout(() => process.exit(1), 25_000).unref();
}, WATCHDOG_MS);
watchdog.unref();

if (args.reportOnly) {
  const results = JSON.parse(fs.readFileSync(args.reportOnly, 'utf8')) as BenchResults;
  writeResults('bench/RESULTS.md', results);
  printSummary(results);
} else {
  await main();
}
clearTimeout(watchdog);

async function main() {
  fs.mkdirSync(TMP, { recursive: true });
  const t0 = performance.now();
  const loadStart = os.loadavg()[0]!;
  const dialects = args.only ? [args.only] : (['sqlite', 'postgres'] as const);
  log(`bench: ${dialects.join(' + ')}, ${args.incidents.toLocaleString('en-US')} incidents, ${args.seconds} s per scenario, load average ${loadStart.toFixed(2)}`);

  let raw = null;
  if (dialects.includes('sqlite') && !args.profile) {
    await waitForQuietMachine();
    log('raw limit: better-sqlite3 alone, one transaction per incident …');
    raw = await measureRawSqlite(path.join(TMP, 'raw.db'), 3, 3);
    log(`  ${Math.round(raw.perSecond)} transactions/s (best of ${raw.rounds.map(Math.round).join(', ')})`);
  }

  const runs: DatabaseRun[] = [];
  let rawLoaded = null;
  for (const dialect of dialects) {
    const load = await prepareDatabase(dialect);
    if (dialect === 'sqlite' && !args.profile) {
      // Like with like: the same loop on a copy of the loaded database, whose indexes are 100,000 rows deep.
      rawLoaded = await measureRawSqlite(path.join(TMP, 'raw-loaded.db'), 3, 2, path.join(TMP, 'sqlite-loaded.db'));
      log(`  raw limit on a copy of the loaded database: ${Math.round(rawLoaded.perSecond)} transactions/s (best of ${rawLoaded.rounds.map(Math.round).join(', ')})`);
    }
    const url = dialect === 'sqlite' ? `sqlite:${path.resolve(TMP, 'sqlite-run.db')}` : `${PG_BASE}/${PG_RUN}`;
    runs.push(args.profile ? await profileRun(dialect, url, load) : await httpRun(dialect, url, load));
  }

  const results: BenchResults = {
    date: new Date().toISOString(),
    commit: currentCommit(),
    machine: machineInfo(),
    loadAverage: { start: loadStart, end: os.loadavg()[0]! },
    seconds: args.seconds,
    raw,
    rawLoaded,
    runs,
    totalSeconds: (performance.now() - t0) / 1000,
  };
  fs.writeFileSync(path.join(TMP, args.profile ? 'results-profile.json' : 'results.json'), JSON.stringify(results, null, 2));
  if (!args.profile && !args.only && args.scenarios.length === SCENARIOS.length && args.incidents === 100_000) {
    writeResults('bench/RESULTS.md', results);
    log('wrote bench/RESULTS.md');
  } else {
    log(`partial run: bench/RESULTS.md left as it was (results in ${TMP})`);
  }
  printSummary(results);
}

/** Loads a fresh database (or reuses the last one), then makes the copy the server will run against. */
async function prepareDatabase(dialect: 'sqlite' | 'postgres'): Promise<LoadResult & { reused: boolean }> {
  const figures = path.join(TMP, `load-${dialect}.json`);
  const loadedFile = path.join(TMP, 'sqlite-loaded.db');
  let load: LoadResult & { reused: boolean };
  const reuse = dialect === 'sqlite' ? args.reuseLoad : !args.fresh;
  const cached = reuse && fs.existsSync(figures) && (dialect === 'sqlite' ? fs.existsSync(loadedFile) : await pgDatabaseExists(PG_LOADED));
  const last = cached ? (JSON.parse(fs.readFileSync(figures, 'utf8')) as LoadResult) : null;
  if (last && last.incidents === args.incidents) {
    load = { ...last, reused: true };
    log(`${dialect}: reusing the database loaded at ${load.measuredAt} (${load.createSeconds.toFixed(1)} s then)`);
  } else {
    log(`${dialect}: loading ${args.incidents.toLocaleString('en-US')} incidents through the domain layer …`);
    let url: string;
    if (dialect === 'sqlite') {
      removeSqlite(loadedFile);
      url = `sqlite:${path.resolve(loadedFile)}`;
    } else {
      await pgAdmin(async (c) => {
        await c.query(`drop database if exists ${PG_RUN} with (force)`);
        await c.query(`drop database if exists ${PG_LOADED} with (force)`);
        await c.query(`create database ${PG_LOADED}`);
      });
      url = `${PG_BASE}/${PG_LOADED}`;
    }
    // SQLite has one connection; PostgreSQL takes several use cases at once, as the server would.
    const result = await loadDatabase({ url, incidents: args.incidents, concurrency: dialect === 'sqlite' ? 1 : 16, log });
    fs.writeFileSync(figures, JSON.stringify(result, null, 2));
    load = { ...result, reused: false };
  }
  // The server writes (creations): run it on a copy so that the loaded database stays reusable.
  if (dialect === 'sqlite') {
    const runFile = path.join(TMP, 'sqlite-run.db');
    removeSqlite(runFile);
    fs.copyFileSync(loadedFile, runFile);
  } else {
    await pgAdmin(async (c) => {
      await c.query(`drop database if exists ${PG_RUN} with (force)`);
      await c.query(`create database ${PG_RUN} template ${PG_LOADED}`);
    });
  }
  return load;
}

async function httpRun(dialect: 'sqlite' | 'postgres', url: string, load: DatabaseRun['load']): Promise<DatabaseRun> {
  await waitForQuietMachine();
  log(`${dialect}: starting the server …`);
  try {
    server = await startServer({ databaseUrl: url, port: PORT, logFile: path.join(TMP, `server-${dialect}.log`) });
  } catch (err) {
    // A reused database carries the migrations of the code that loaded it; a migration added out of order since then fails.
    if (load.reused) throw new Error(`${(err as Error).message}; the cached database may predate the current migrations: run with --fresh`);
    throw err;
  }
  try {
    const token = await createApiToken(server.url);
    const ctx = await scenarioContext(server.url, token);
    const scenarios: ScenarioResult[] = [];
    for (const name of args.scenarios) {
      const s = await runScenario(server, token, name, ctx, args.seconds);
      log(`  ${name}: ${Math.round(s.perSecond)} req/s, p50 ${s.p50.toFixed(1)} p95 ${s.p95.toFixed(1)} p99 ${s.p99.toFixed(1)} ms, ${Math.round(s.serverCpuUs)} µs CPU/req, RSS ${Math.round(s.peakRssMb)} MB${s.non2xx + s.errors > 0 ? `, ${s.non2xx} non-2xx, ${s.errors} errors` : ''}`);
      scenarios.push(s);
    }
    const serverPeakRssMb = server.memory().hwmMb;
    return { dialect, load, scenarios, serverPeakRssMb };
  } finally {
    await server.stop();
    server = null;
  }
}

/** One server per scenario under --cpu-prof, so that each profile shows one kind of request. */
async function profileRun(dialect: 'sqlite' | 'postgres', url: string, load: DatabaseRun['load']): Promise<DatabaseRun> {
  const scenarios: ScenarioResult[] = [];
  let serverPeakRssMb = 0;
  for (const name of args.scenarios) {
    const dir = path.join(TMP, 'prof', `${dialect}-${name}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    server = await startServer({ databaseUrl: url, port: PORT, logFile: path.join(TMP, `server-${dialect}-${name}.log`), cpuProfileDir: dir });
    try {
      const token = await createApiToken(server.url);
      const ctx = await scenarioContext(server.url, token);
      const s = await runScenario(server, token, name, ctx, args.seconds);
      log(`  ${name}: ${Math.round(s.perSecond)} req/s under the profiler, ${Math.round(s.serverCpuUs)} µs CPU/req`);
      scenarios.push(s);
      serverPeakRssMb = Math.max(serverPeakRssMb, server.memory().hwmMb);
    } finally {
      await server.stop();
      server = null;
    }
    const profile = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
    if (profile) {
      const summary = summarize(profile, 30, INCLUSIVE, scenarios[scenarios.length - 1]!.windowUs);
      fs.writeFileSync(path.join(TMP, `profile-${dialect}-${name}.txt`), summary);
      log(`\n== ${dialect} ${name} ==\n${summary}`);
    }
  }
  return { dialect, load, scenarios, serverPeakRssMb };
}

/**
 * Other work on the machine (test suites, builds) moves every figure; wait, bounded, until the 1-minute
 * load average is below one busy core. The report gives the load average anyway.
 */
async function waitForQuietMachine(maxSeconds = 90, threshold = 1.2) {
  if (args.noWait) return;
  const until = Date.now() + maxSeconds * 1000;
  if (os.loadavg()[0]! < threshold) return;
  log(`  waiting (at most ${maxSeconds} s) for a quieter machine: load average ${os.loadavg()[0]!.toFixed(2)}`);
  while (os.loadavg()[0]! >= threshold && Date.now() < until) await new Promise((r) => setTimeout(r, 2000));
  log(`  load average ${os.loadavg()[0]!.toFixed(2)}, going on`);
}

async function pgAdmin(fn: (c: pg.Client) => Promise<void>) {
  const client = new pg.Client({ connectionString: `${PG_BASE}/postgres` });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

async function pgDatabaseExists(name: string): Promise<boolean> {
  let exists = false;
  await pgAdmin(async (c) => {
    exists = (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  });
  return exists;
}

function removeSqlite(file: string) {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

function parseArgs(argv: string[]) {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const only = get('only');
  if (only !== undefined && only !== 'sqlite' && only !== 'postgres') throw new Error('--only=sqlite|postgres');
  const scenarios = (get('scenarios')?.split(',') ?? [...SCENARIOS]) as ScenarioName[];
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; use ${SCENARIOS.join(',')}`);
  return {
    only: only as 'sqlite' | 'postgres' | undefined,
    reuseLoad: argv.includes('--reuse-load'),
    fresh: argv.includes('--fresh'),
    noWait: argv.includes('--no-wait'),
    reportOnly: get('report-only'),
    profile: argv.includes('--profile'),
    incidents: Number(get('incidents') ?? 100_000),
    seconds: Number(get('seconds') ?? 10),
    scenarios,
  };
}

function log(line: string) {
  console.log(line);
}

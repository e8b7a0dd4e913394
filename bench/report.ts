/**
 * Turns a bench run into bench/RESULTS.md and a summary on stdout. Everything below the notes
 * marker of an existing RESULTS.md (the hand-written analysis) is kept across runs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import type { ScenarioName, ScenarioResult } from './http.ts';
import type { LoadResult } from './load.ts';
import type { RawResult } from './raw-sqlite.ts';

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  os: string;
}

export interface DatabaseRun {
  dialect: 'sqlite' | 'postgres';
  load: LoadResult & { reused: boolean };
  scenarios: ScenarioResult[];
  /** Peak resident memory of the server process over the whole run (VmHWM). */
  serverPeakRssMb: number;
}

export interface BenchResults {
  date: string;
  /** The commit benchmarked, with `+changes` when the working tree differed from it. */
  commit?: string;
  machine: Machine;
  /** 1-minute load average before and after: other processes on the machine skew the figures. */
  loadAverage: { start: number; end: number };
  seconds: number;
  /** The issue's raw limit: a fresh file with the real migrations. */
  raw: RawResult | null;
  /** The same loop on a copy of the loaded database. */
  rawLoaded: RawResult | null;
  runs: DatabaseRun[];
  totalSeconds: number;
}

const NOTES_MARKER = '<!-- notes: everything below this line is kept when the bench rewrites the file -->';

const TARGETS: Record<ScenarioName, { label: string; perSecond: number }> = {
  create: { label: 'create incident (POST)', perSecond: 3000 },
  get: { label: 'get by id (random ids)', perSecond: 6000 },
  list: { label: 'filtered list of 50 (status + orgId)', perSecond: 2000 },
  search: { label: 'full-text `q`, 50 per page', perSecond: 1000 },
};
const P99_MS = 50;
const LOAD_SECONDS = 60;
const RSS_MB = 300;
const RAW_SHARE = 0.25;

/** `git describe`-like: the short commit, `+changes` when the working tree is not clean; undefined outside git. */
export function currentCommit(): string | undefined {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return undefined;
  }
}

export function machineInfo(): Machine {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const release = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(safeRead('/etc/os-release'))?.[1] ?? os.type();
  return {
    cpu: model,
    cores: os.cpus().length,
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${release}, Linux ${os.release()}`,
  };
}

export function writeResults(file: string, results: BenchResults): void {
  const previous = safeRead(file);
  const at = previous.indexOf(NOTES_MARKER);
  const notes = at >= 0 ? previous.slice(at + NOTES_MARKER.length).replace(/^\n+/, '') : '';
  fs.writeFileSync(file, `${renderMarkdown(results)}\n${NOTES_MARKER}\n\n${notes}`);
}

export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    '# Vigie benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts). Figures are from one run on the machine below; the hand-written',
    'analysis follows the tables.',
    '',
    `- **Date:** ${r.date}${r.commit ? `; code at ${r.commit}` : ''}`,
    `- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM; ${m.os}; Node ${m.node}`,
    `- **Load average (1 min)** before / after the run: ${r.loadAverage.start.toFixed(2)} / ${r.loadAverage.end.toFixed(2)}` +
      (r.loadAverage.start > m.cores / 2 ? ' — other processes were using the machine, figures are pessimistic' : ''),
    `- **Method:** 100,000 incidents over 3 client organizations loaded through the domain layer (\`createIncident\`, then a lifecycle mix),` +
      ` server started as a child process (\`node --import tsx server/src/main.ts\`, LOG_LEVEL=warn), autocannon with 32 connections,` +
      ` \`Authorization: Bearer\` API token on every request, ${r.seconds} s per scenario after a 2 s warm-up; autocannon runs on the same machine.` +
      ' Latency percentiles over every response of the measured window. Server CPU per request is user + system time of the server process.',
    `- **Total bench time:** ${Math.round(r.totalSeconds)} s`,
    '',
  ];
  if (r.raw) {
    lines.push(
      '## Raw limit: better-sqlite3 alone',
      '',
      'Same pragmas as `server/src/db/create-db.ts` (WAL, synchronous NORMAL, foreign keys ON, 64 MB cache), schema from the real migrations,',
      'one transaction per incident: incident row + FTS5 row + timeline entry + outbox event, statements prepared once.',
      '',
      `- fresh file (the issue's definition): **${fmt(r.raw.perSecond)} transactions/s**, the best of ${rounds(r.raw)} (${fmt(r.raw.transactions)} in ${r.raw.seconds.toFixed(1)} s; ${Math.round(r.raw.cpuUsPerTransaction)} µs of CPU each)`,
      ...(r.rawLoaded
        ? [`- same loop on a copy of the loaded 100,000-incident database: **${fmt(r.rawLoaded.perSecond)} transactions/s**, the best of ${rounds(r.rawLoaded)} (${Math.round(r.rawLoaded.cpuUsPerTransaction)} µs of CPU each)`]
        : []),
      '',
    );
  }
  for (const run of r.runs) lines.push(...renderRun(run, r.raw, r.rawLoaded));
  lines.push(
    '## For scale: iTop',
    '',
    'From the issue: iTop 3.2 on the same kind of machine creates 15 incidents a second over its REST API and lists 50 of 21,000 at under 5 a second.',
    ...r.runs.map((run) => {
      const create = run.scenarios.find((s) => s.name === 'create');
      const list = run.scenarios.find((s) => s.name === 'list');
      return `Vigie on ${name(run.dialect)}: ${create ? `${fmt(create.perSecond)} creations/s (${ratio(create.perSecond, 15)} iTop)` : '—'}, ${list ? `${fmt(list.perSecond)} lists of 50 out of ${fmt(run.load.incidents)}+/s (${ratio(list.perSecond, 5)} iTop)` : '—'}.`;
    }),
    '',
  );
  return lines.join('\n');
}

function renderRun(run: DatabaseRun, raw: RawResult | null, rawLoaded: RawResult | null): string[] {
  const sqlite = run.dialect === 'sqlite';
  const l = run.load;
  const lines = [
    `## ${name(run.dialect)}`,
    '',
    sqlite ? 'The issue\'s targets are set for SQLite.' : 'The issue sets its targets for SQLite; they are shown here for reference.',
    '',
    '| scenario | req/s | p50 ms | p95 ms | p99 ms | server CPU/req | one-core ceiling¹ | load avg | target | met? |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const s of run.scenarios) {
    const t = TARGETS[s.name as ScenarioName];
    const okRate = s.perSecond >= t.perSecond;
    const okP99 = s.p99 < P99_MS;
    const errors = s.non2xx + s.errors > 0 ? ` (${s.non2xx} non-2xx, ${s.errors} errors)` : '';
    const items = s.itemsPerAnswer !== undefined ? ` — ${s.itemsPerAnswer.toFixed(1)} items/answer` : '';
    lines.push(
      `| ${t.label}${items}${errors} | ${fmt(s.perSecond)} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.p99.toFixed(1)} | ${Math.round(s.serverCpuUs)} µs | ${s.serverCpuUs > 0 ? fmt(1e6 / s.serverCpuUs) : '—'}/s | ${s.loadAverage?.toFixed(1) ?? '—'} | ≥ ${fmt(t.perSecond)}/s, p99 < ${P99_MS} ms | ${mark(okRate && okP99, okRate ? 'p99' : okP99 ? 'req/s' : 'both')} |`,
    );
    if (s.name === 'create' && sqlite && raw) {
      const share = s.perSecond / raw.perSecond;
      lines.push(`| create as share of the raw limit (${fmt(raw.perSecond)}/s, fresh file) | ${(share * 100).toFixed(0)} % | | | | | | | ≥ ${RAW_SHARE * 100} % | ${mark(share >= RAW_SHARE)} |`);
      if (rawLoaded) lines.push(`| create as share of the raw loop on the loaded database (${fmt(rawLoaded.perSecond)}/s) | ${((100 * s.perSecond) / rawLoaded.perSecond).toFixed(0)} % | | | | | | | | |`);
    }
  }
  const loadNote = l.reused ? ` (cached database; figure measured ${l.measuredAt})` : '';
  lines.push(
    `| load ${fmt(l.incidents)} incidents through the domain layer${loadNote} | ${fmt(l.incidents / l.createSeconds)}/s | | | | ${Math.round(l.createCpuUs)} µs² | ${fmt(1e6 / l.createCpuUs)}/s | | < ${LOAD_SECONDS} s | ${mark(l.createSeconds < LOAD_SECONDS)} ${l.createSeconds.toFixed(1)} s |`,
    `| server peak RSS (VmHWM) | | | | | | | | < ${RSS_MB} MB | ${mark(run.serverPeakRssMb < RSS_MB)} ${Math.round(run.serverPeakRssMb)} MB |`,
    '',
    '¹ 1,000,000 µs ÷ server CPU per request: what the single-threaded server would answer with a core to itself (no autocannon, no neighbours).' +
      ' ² CPU of the loader process per creation.',
    '',
    `Lifecycle mix loaded after the creations (not part of the 60 s target): ${fmt(l.transitions)} transitions and ${fmt(l.comments)} replies/notes in ${l.lifecycleSeconds.toFixed(1)} s.` +
      ` Statuses: ${Object.entries(l.statuses).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}.`,
    '',
  );
  return lines;
}

export function printSummary(r: BenchResults): void {
  const out = [`\nVigie bench — ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, load avg ${r.loadAverage.start.toFixed(2)}`];
  if (r.raw) out.push(`raw better-sqlite3: ${fmt(r.raw.perSecond)} tx/s on a fresh file${r.rawLoaded ? `, ${fmt(r.rawLoaded.perSecond)} tx/s on the loaded database` : ''}`);
  for (const run of r.runs) {
    out.push(`${name(run.dialect)}: load ${fmt(run.load.incidents)} in ${run.load.createSeconds.toFixed(1)} s${run.load.reused ? ' (cached)' : ''} ${mark(run.load.createSeconds < LOAD_SECONDS)}, peak RSS ${Math.round(run.serverPeakRssMb)} MB ${mark(run.serverPeakRssMb < RSS_MB)}`);
    for (const s of run.scenarios) {
      const t = TARGETS[s.name as ScenarioName];
      const share = s.name === 'create' && r.raw && run.dialect === 'sqlite' ? ` (${((100 * s.perSecond) / r.raw.perSecond).toFixed(0)} % of raw)` : '';
      out.push(
        `  ${s.name.padEnd(7)} ${fmt(s.perSecond).padStart(7)} req/s${share}  p50 ${s.p50.toFixed(1)}  p95 ${s.p95.toFixed(1)}  p99 ${s.p99.toFixed(1)} ms  cpu ${Math.round(s.serverCpuUs)} µs/req  ${mark(s.perSecond >= t.perSecond && s.p99 < P99_MS)}${s.non2xx + s.errors > 0 ? `  non-2xx ${s.non2xx}, errors ${s.errors}` : ''}`,
      );
    }
  }
  console.log(out.join('\n'));
}

function rounds(raw: RawResult): string {
  return raw.rounds ? `${raw.rounds.length} rounds (${raw.rounds.map(fmt).join(', ')}/s)` : '1 round';
}

function mark(ok: boolean, missed = ''): string {
  return ok ? '✅' : `❌${missed ? ` ${missed}` : ''}`;
}

function name(dialect: string) {
  return dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function ratio(a: number, b: number) {
  return `${fmt(a / b)}×`;
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Starts the real server as a child process and drives it with autocannon: 32 connections, an API
 * token on every request, one scenario at a time, with the server's RSS and CPU read from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { incidentText, int, pick, rng, SEARCH_QUERIES } from './data.ts';
import { BENCH_ADMIN, BENCH_AGENT } from './load.ts';

export interface Server {
  pid: number;
  url: string;
  /** Resident memory now and its peak so far (VmHWM), in MB. */
  memory(): { rssMb: number; hwmMb: number };
  /** User + system CPU time of the server so far, in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface ScenarioResult {
  name: string;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  /** Server CPU per request (user + system): what one free core would allow is 1e6 / this. */
  serverCpuUs: number;
  peakRssMb: number;
  /** Rows per answer for lists (checked once before the run), to show what was measured. */
  itemsPerAnswer?: number;
  /** The measured window on the monotonic clock, in µs, to cut a CPU profile to it. */
  windowUs: [number, number];
  /** 1-minute load average at the end of the scenario: other processes share the machine. */
  loadAverage: number;
}

export interface ScenarioContext {
  orgIds: number[];
  /** Incident ids known to exist (the loaded ones). */
  maxId: number;
  callerIds: Map<number, number[]>;
}

const STATUSES = ['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed'] as const;

/** Spawns `node --import tsx server/src/main.ts` against a database and waits for /readyz. */
export async function startServer(opts: { databaseUrl: string; port: number; logFile: string; cpuProfileDir?: string }): Promise<Server> {
  const args = ['--import', 'tsx'];
  if (opts.cpuProfileDir) args.push('--cpu-prof', '--cpu-prof-dir', opts.cpuProfileDir);
  args.push('server/src/main.ts');
  const log = fs.openSync(opts.logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      PORT: String(opts.port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      VIGIE_ADMIN_EMAIL: BENCH_ADMIN.email,
      VIGIE_ADMIN_PASSWORD: BENCH_ADMIN.password,
      VIGIE_DATA_DIR: 'bench/.tmp/data',
    },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}; see ${opts.logFile}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after 60 s; see ${opts.logFile}`);
    }
    await sleep(200);
  }
  const pid = child.pid!;
  return {
    pid,
    url,
    memory: () => {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
    },
    cpuSeconds: () => {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
    },
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      fs.closeSync(log);
    },
  };
}

/** Signs in as the bench's integration agent and creates an API token, as an integrator would. */
export async function createApiToken(url: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_AGENT.email, password: BENCH_AGENT.password }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${url}/api/v1/api-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (!res.ok) throw new Error(`token creation failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Reads what the scenarios need from the API itself: organizations, some callers, the highest id. */
export async function scenarioContext(url: string, token: string): Promise<ScenarioContext> {
  const get = async <T>(path: string) => {
    const res = await fetch(`${url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const orgs = await get<{ items: { id: number; isProvider?: boolean; code: string }[] }>('/organizations?limit=200');
  const clients = orgs.items.filter((o) => o.code !== 'PROVIDER');
  const callerIds = new Map<number, number[]>();
  for (const org of clients) {
    const people = await get<{ items: { id: number }[] }>(`/people?orgId=${org.id}&limit=200`);
    callerIds.set(org.id, people.items.map((p) => p.id));
  }
  const newest = await get<{ items: { id: number }[] }>('/incidents?limit=1&sort=-createdAt');
  return { orgIds: clients.map((o) => o.id), maxId: newest.items[0]?.id ?? 1, callerIds };
}

export const SCENARIOS = ['create', 'get', 'list', 'search'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Runs one scenario: a short warm-up, then `seconds` measured. */
export async function runScenario(server: Server, token: string, name: ScenarioName, ctx: ScenarioContext, seconds: number, warmupSeconds = 2): Promise<ScenarioResult> {
  const random = rng(name.length * 1000 + 1);
  const request = requestFor(name, ctx, random);
  const base = {
    url: server.url,
    connections: 32,
    pipelining: 1,
    timeout: 10,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    requests: [request],
  };
  let itemsPerAnswer: number | undefined;
  if (name === 'list' || name === 'search') itemsPerAnswer = await sampleItems(server.url, token, request, 40);
  if (warmupSeconds > 0) await autocannon({ ...base, duration: warmupSeconds });

  const latencies: number[] = [];
  let peakRssMb = 0;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, server.memory().rssMb);
  }, 250);
  const cpu0 = server.cpuSeconds();
  const t0 = performance.now();
  const from = monotonicUs();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ ...base, duration: seconds }, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const elapsed = (performance.now() - t0) / 1000;
  const windowUs: [number, number] = [from, monotonicUs()];
  const cpu = server.cpuSeconds() - cpu0;
  clearInterval(sampler);
  peakRssMb = Math.max(peakRssMb, server.memory().rssMb);
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  const requests = result['2xx'] + result.non2xx;
  return {
    name,
    requests,
    perSecond: result['2xx'] / elapsed,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: latencies[latencies.length - 1] ?? 0,
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuUs: requests > 0 ? (cpu * 1e6) / requests : 0,
    peakRssMb,
    itemsPerAnswer,
    windowUs,
    loadAverage: os.loadavg()[0]!,
  };
}

type Request = { method: 'GET' | 'POST'; path: string; setupRequest: (req: any) => any };

/** The request of each scenario, varied on every call by autocannon's setupRequest. */
function requestFor(name: ScenarioName, ctx: ScenarioContext, random: () => number): Request {
  switch (name) {
    case 'create': {
      // Bodies built up front so that autocannon's own CPU stays low.
      const bodies = Array.from({ length: 2000 }, () => {
        const orgId = pick(random, ctx.orgIds);
        const callers = ctx.callerIds.get(orgId) ?? [];
        return JSON.stringify({
          orgId,
          ...(callers.length > 0 && random() < 0.7 && { callerId: pick(random, callers) }),
          ...incidentText(random, orgId === ctx.orgIds[ctx.orgIds.length - 1] ? 'en' : 'fr'),
          impact: int(random, 1, 3),
          urgency: int(random, 1, 4),
        });
      });
      let i = 0;
      return { method: 'POST', path: '/api/v1/incidents', setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] }) };
    }
    case 'get':
      return { method: 'GET', path: '/api/v1/incidents/1', setupRequest: (req) => ({ ...req, path: `/api/v1/incidents/${int(random, 1, ctx.maxId)}` }) };
    case 'list':
      return {
        method: 'GET',
        path: '/api/v1/incidents',
        setupRequest: (req) => ({ ...req, path: `/api/v1/incidents?status=${pick(random, STATUSES)}&orgId=${pick(random, ctx.orgIds)}&limit=50` }),
      };
    case 'search':
      return {
        method: 'GET',
        path: '/api/v1/incidents',
        setupRequest: (req) => ({ ...req, path: `/api/v1/incidents?q=${encodeURIComponent(pick(random, SEARCH_QUERIES))}&limit=50` }),
      };
    default: {
      const never: never = name;
      throw new Error(`unknown scenario ${String(never)}`);
    }
  }
}

/** Average number of items the list answers hold, over a few sample requests. */
async function sampleItems(url: string, token: string, request: Request, n: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const { path } = request.setupRequest({ path: request.path });
    const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    total += ((await res.json()) as { items: unknown[] }).items.length;
  }
  return total / n;
}

/** CLOCK_MONOTONIC in µs: the clock of V8's CPU profiles, shared by every process. */
function monotonicUs() {
  return Number(process.hrtime.bigint() / 1000n);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

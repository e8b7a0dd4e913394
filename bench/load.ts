/**
 * Loads a realistic data set through the domain layer — the same use cases the HTTP routes call,
 * each in its own transaction with its timeline entry and outbox event — never with raw SQL.
 *
 * Phase 1 (timed, the target): N incidents created by agents and requesters of 3 client
 * organizations. Phase 2 (timed apart): the lifecycle mix that makes the data look lived-in —
 * transitions to in_progress, pending, resolved, closed, and replies and notes.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Channel, CreateIncidentBody, TransitionBody } from '../contract/incidents.ts';
import { AttachmentStorage } from '../server/src/attachments/attachment-storage.ts';
import { ensureFirstAdmin } from '../server/src/bootstrap.ts';
import { buildCtx } from '../server/src/app.ts';
import type { Ctx } from '../server/src/context.ts';
import { createDatabase, type Database } from '../server/src/db/create-db.ts';
import { migrateToLatest } from '../server/src/db/migrate.ts';
import { addComment } from '../server/src/incidents/incident-comment.service.ts';
import { transitionIncident } from '../server/src/incidents/incident-transition.service.ts';
import { createIncident } from '../server/src/incidents/incident.service.ts';
import type { Clock } from '../server/src/lib/clock.ts';
import { createOrganization } from '../server/src/organizations/organization.service.ts';
import { createPerson } from '../server/src/people/person.service.ts';
import { createService } from '../server/src/services/service.service.ts';
import { createTeam } from '../server/src/teams/team.service.ts';
import type { Actor } from '../server/src/tenancy/scope.ts';
import { findUserByEmail, findUserById, toActor } from '../server/src/users/user.repository.ts';
import { createUser } from '../server/src/users/user.service.ts';
import { incidentText, int, pick, rng } from './data.ts';

export const BENCH_ADMIN = { email: 'admin@bench.vigie.local', password: 'bench-admin-password' };
export const BENCH_AGENT = { email: 'api@bench.vigie.local', password: 'bench-agent-password' };

export interface LoadOptions {
  url: string;
  incidents: number;
  /** Concurrent use cases in flight (PostgreSQL benefits; SQLite has one connection). */
  concurrency: number;
  log: (line: string) => void;
}

export interface LoadResult {
  dialect: 'sqlite' | 'postgres';
  incidents: number;
  createSeconds: number;
  /** Loader CPU (user + system) per creation, which other processes on the machine do not inflate. */
  createCpuUs: number;
  lifecycleSeconds: number;
  lifecycleCpuSeconds: number;
  transitions: number;
  comments: number;
  statuses: Record<string, number>;
  orgIds: number[];
  measuredAt: string;
}

interface Directory {
  admin: Actor;
  orgs: { id: number; locale: 'fr' | 'en'; weight: number; people: number[]; requesters: Actor[] }[];
  agents: Actor[];
  teams: { id: number; memberIds: number[] }[];
  services: number[];
}

type Fate = 'new' | 'assigned' | 'in_progress' | 'pending' | 'resolved' | 'closed';

const YEAR_MS = 365 * 86_400_000;
// The loader attaches no files; the storage only completes the context.
const storage = new AttachmentStorage('bench/.tmp/attachments');

/** Migrates a fresh database, creates the directory, then the incidents and their lifecycle. */
export async function loadDatabase(opts: LoadOptions): Promise<LoadResult> {
  const database = createDatabase(opts.url, { poolSize: Math.max(opts.concurrency + 2, 4) });
  try {
    await migrateToLatest(database.db);
    const realNow = Date.now();
    const start = realNow - YEAR_MS;
    const dir = await createDirectory(database, start - 86_400_000);
    const random = rng(42);
    const ids: number[] = new Array(opts.incidents);
    const fates: Fate[] = new Array(opts.incidents);
    const created: string[] = new Array(opts.incidents);
    const step = (YEAR_MS - 7 * 86_400_000) / opts.incidents;

    // Phase 1: creation, the figure the issue sets a target for.
    let t0 = performance.now();
    let cpu0 = process.cpuUsage();
    await forEach(opts.incidents, opts.concurrency, async (i) => {
      const at = start + i * step;
      const { actor, input, channel } = creation(random, dir, at);
      const incident = await createIncident(ctxAt(database, at), actor, input, channel);
      ids[i] = incident.id;
      created[i] = incident.status;
      fates[i] = fate(random, incident.status, i / opts.incidents);
      if ((i + 1) % 20_000 === 0) opts.log(`  created ${i + 1} incidents (${rate(i + 1, t0)}/s)`);
    });
    const createSeconds = (performance.now() - t0) / 1000;
    const createCpuUs = cpuMicros(cpu0) / opts.incidents;
    opts.log(`  created ${opts.incidents} incidents in ${createSeconds.toFixed(1)} s (${rate(opts.incidents, t0)}/s, ${Math.round(createCpuUs)} µs of loader CPU each)`);

    // Phase 2: the lifecycle mix (transitions, replies, notes) at plausible later times.
    t0 = performance.now();
    cpu0 = process.cpuUsage();
    let transitions = 0;
    let comments = 0;
    await forEach(opts.incidents, opts.concurrency, async (i) => {
      const id = ids[i]!;
      const createdAt = start + i * step;
      const agent = pick(random, dir.agents);
      const ctx = (minutes: number) => ctxAt(database, Math.min(createdAt + minutes * 60_000, realNow - 60_000));
      const go = async (minutes: number, input: TransitionBody) => {
        await transitionIncident(ctx(minutes), agent, id, input);
        transitions++;
      };
      if (random() < 0.15) {
        await addComment(ctx(5), agent, id, random() < 0.6 ? { body: 'Nous regardons, merci de patienter. / We are looking into it.', visibility: 'public' } : { body: 'Vérifié le journal système du poste.', visibility: 'internal' });
        comments++;
      }
      const f = fates[i]!;
      if (f === 'in_progress' || (f === 'pending' && created[i] === 'new')) await go(10, { to: 'in_progress' });
      if (f === 'pending') await go(20, { to: 'pending', pendingReason: pick(random, ['customer', 'vendor', 'change', 'other'] as const) });
      if (f === 'resolved' || f === 'closed') {
        await go(120, { to: 'resolved', resolutionCode: pick(random, ['fixed', 'workaround', 'no_fault_found', 'user_error'] as const), resolution: 'Service rétabli / service restored.' });
      }
      if (f === 'closed') await go(3 * 24 * 60, { to: 'closed' });
      if ((i + 1) % 20_000 === 0) opts.log(`  lifecycle of ${i + 1} incidents (${rate(i + 1, t0)}/s)`);
    });
    const lifecycleSeconds = (performance.now() - t0) / 1000;
    const lifecycleCpuSeconds = cpuMicros(cpu0) / 1e6;
    opts.log(`  lifecycle: ${transitions} transitions and ${comments} comments in ${lifecycleSeconds.toFixed(1)} s (${lifecycleCpuSeconds.toFixed(1)} s of loader CPU)`);

    const statuses = Object.fromEntries(
      (await database.db.selectFrom('incidents').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute()).map((r) => [r.status, Number(r.n)]),
    );
    await settle(database);
    return {
      dialect: database.dialect,
      incidents: opts.incidents,
      createSeconds,
      createCpuUs,
      lifecycleSeconds,
      lifecycleCpuSeconds,
      transitions,
      comments,
      statuses,
      orgIds: dir.orgs.map((o) => o.id),
      measuredAt: new Date().toISOString(),
    };
  } finally {
    await database.close();
  }
}

/** The provider's admin, 3 client organizations, services, agents in teams, contacts and requesters. */
async function createDirectory(database: Database, at: number): Promise<Directory> {
  const base = ctxAt(database, at);
  const quiet = { info: () => {}, warn: () => {} };
  await ensureFirstAdmin(database.db, base.clock, { adminEmail: BENCH_ADMIN.email, adminPassword: BENCH_ADMIN.password, providerName: 'Bench Service Desk' }, quiet);
  const admin = toActor((await findUserByEmail(database.db, BENCH_ADMIN.email))!);

  const orgSpecs = [
    { name: 'Laiterie Normande', code: 'LAIT', locale: 'fr' as const, timezone: 'Europe/Paris', maturityLevel: 2, weight: 0.5 },
    { name: 'Transports Rhône-Alpes', code: 'TRA', locale: 'fr' as const, timezone: 'Europe/Paris', maturityLevel: 3, weight: 0.3 },
    { name: 'Thames Logistics', code: 'THAMES', locale: 'en' as const, timezone: 'Europe/London', maturityLevel: 1, weight: 0.2 },
  ];
  const services: number[] = [];
  for (const name of ['Poste de travail', 'Messagerie', 'ERP', 'Réseau et VPN', 'Téléphonie', 'Impression']) {
    services.push((await createService(base, admin, { name, description: null })).id);
  }
  const agentIds: number[] = [];
  for (let n = 1; n <= 8; n++) {
    const user = await createUser(base, admin, { email: `agent${n}@bench.vigie.local`, name: `Agent ${n}`, role: 'agent', orgScope: [], portalScope: 'own', locale: 'fr' });
    agentIds.push(user.id);
  }
  const api = await createUser(base, admin, { email: BENCH_AGENT.email, name: 'Monitoring integration', role: 'agent', orgScope: [], portalScope: 'own', password: BENCH_AGENT.password });
  const teams: Directory['teams'] = [];
  for (const [name, members] of [['Niveau 1', agentIds.slice(0, 4)], ['Niveau 2', agentIds.slice(4, 7)], ['Infrastructure', agentIds.slice(6)]] as const) {
    const team = await createTeam(base, admin, { name, description: null, memberIds: [...members] });
    teams.push({ id: team.id, memberIds: team.memberIds });
  }
  const orgs: Directory['orgs'] = [];
  const names = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Smith', 'Jones', 'Taylor', 'Brown'];
  for (const spec of orgSpecs) {
    const { weight, ...input } = spec;
    const org = await createOrganization(base, admin, { ...input, priorityMatrix: null, autoCloseDays: 7 });
    const people: number[] = [];
    for (let n = 1; n <= 40; n++) {
      people.push((await createPerson(base, admin, { orgId: org.id, name: `${names[n % names.length]} ${n}`, email: `contact${n}@${spec.code.toLowerCase()}.example`, phone: null, locale: spec.locale })).id);
    }
    const requesters: Actor[] = [];
    for (let n = 1; n <= 5; n++) {
      const user = await createUser(base, admin, { email: `user${n}@${spec.code.toLowerCase()}.example`, name: `Requester ${n}`, role: 'requester', orgId: org.id, orgScope: [], portalScope: 'own', locale: spec.locale });
      requesters.push(toActor((await findUserById(database.db, user.id))!));
    }
    orgs.push({ id: org.id, locale: spec.locale, weight, people, requesters });
  }
  const agents = await Promise.all([...agentIds, api.id].map(async (id) => toActor((await findUserById(database.db, id))!)));
  return { admin, orgs, agents, teams, services };
}

/** One creation: a quarter from requesters on the portal, the rest logged by agents (some assigned at once). */
function creation(random: () => number, dir: Directory, at: number): { actor: Actor; input: CreateIncidentBody; channel: Channel } {
  let r = random();
  const org = dir.orgs.find((o) => (r -= o.weight) < 0) ?? dir.orgs[0]!;
  const text = incidentText(random, org.locale);
  const common = { ...text, impact: int(random, 1, 3), urgency: int(random, 1, 4), serviceId: random() < 0.7 ? pick(random, dir.services) : null };
  if (random() < 0.25) {
    return { actor: pick(random, org.requesters), input: { ...common, channel: pick(random, ['portal', 'email'] as const) }, channel: 'portal' };
  }
  const channel = pick(random, ['phone', 'phone', 'email', 'monitoring', 'api'] as const);
  const input: CreateIncidentBody = { ...common, orgId: org.id, callerId: channel === 'monitoring' ? null : pick(random, org.people), channel, reportedAt: new Date(at - int(random, 0, 30) * 60_000).toISOString() };
  if (random() < 0.6) {
    const team = pick(random, dir.teams);
    input.teamId = team.id;
    if (random() < 0.7) input.agentId = pick(random, team.memberIds);
  }
  return { actor: pick(random, dir.agents), input, channel };
}

/** Where an incident ends up: old incidents are mostly closed, the newest mostly open. */
function fate(random: () => number, status: string, age: number): Fate {
  const r = random();
  const recent = age > 0.97;
  if (!recent && r < 0.45) return 'closed';
  if (!recent && r < 0.57) return 'resolved';
  if (r < 0.69) return 'in_progress';
  if (r < 0.75) return 'pending';
  return status as Fate;
}

/** Checkpoints SQLite's WAL into the main file and refreshes PostgreSQL's statistics, as autovacuum would. */
async function settle(database: Database) {
  if (database.dialect === 'sqlite') await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
  else await sql`vacuum analyze`.execute(database.db);
}

/** The context app.ts builds, with a clock set to the simulated time of the operation. */
function ctxAt(database: Database, at: number): Ctx {
  const clock: Clock = { now: () => new Date(at) };
  return Object.assign(buildCtx({ database, clock }), { storage });
}

/** Runs `fn(0..n-1)` with at most `concurrency` calls in flight, in index order. */
async function forEach(n: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < n) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

function cpuMicros(since: NodeJS.CpuUsage) {
  const d = process.cpuUsage(since);
  return d.user + d.system;
}

function rate(n: number, t0: number) {
  return Math.round(n / ((performance.now() - t0) / 1000));
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentStatus, Channel, PendingReason, ResolutionCode } from '../../contract/incidents.ts';
import { ensureFirstAdmin } from '../src/bootstrap.ts';
import { createDatabase, type Database } from '../src/db/create-db.ts';
import type { Dialect } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { specOf } from '../src/calendars/calendar.repository.ts';
import { isOpen } from '../src/incidents/incident-lifecycle.ts';
import { DEMO_PASSWORD, ORGANIZATIONS, SLA_POLICIES, STAFF } from '../src/demo/demo-data.ts';
import { seedDemo, type SeedResult } from '../src/demo/seed.ts';
import { CompiledCalendar } from '../src/sla/business-time.ts';
import { toSlaPolicy } from '../src/sla/sla-policy.repository.ts';
import { type BusinessClock, computeDeadlines, nextCheckAt, selectPolicy, slaApplies, slaState } from '../src/sla/sla-rules.ts';
import { createTestDatabase, DIALECTS, startTestApp, type TestApp } from './test-app.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const SLOW = 180_000;

describe.each(DIALECTS)('demo data set on %s', (dialect) => {
  let t: TestApp;
  let result: SeedResult;
  beforeAll(async () => {
    t = await startTestApp(dialect);
    result = await seedDemo(t.database, { now: NOW });
  }, SLOW);
  afterAll(() => t?.close());

  const db = () => t.database.db;
  const count = async (table: 'organizations' | 'people' | 'users' | 'teams' | 'services' | 'incidents' | 'events' | 'timeline_entries') =>
    Number((await db().selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('creates the provider, three client organizations, their people, staff, teams and services', async () => {
    expect(result).toMatchObject({ seeded: true, incidents: 300 });
    const orgs = await db().selectFrom('organizations').selectAll().orderBy('id').execute();
    expect(orgs).toHaveLength(4);
    expect(orgs[0]).toMatchObject({ is_provider: 1, name: 'Azimut Infogérance', locale: 'fr' });
    const clients = orgs.filter((o) => o.is_provider === 0);
    expect(clients.map((o) => o.locale).sort()).toEqual(['en', 'fr', 'fr']);
    expect(clients.find((o) => o.code === 'LTA')).toMatchObject({ timezone: 'America/Montreal' });

    const people = ORGANIZATIONS.reduce((n, o) => n + o.people.length, 0);
    const requesters = ORGANIZATIONS.reduce((n, o) => n + o.people.filter((p) => p[1]).length, 0);
    expect(await count('people')).toBe(people);
    expect(await count('users')).toBe(1 + STAFF.length + requesters);
    expect(await count('teams')).toBe(5);
    expect(await count('services')).toBeGreaterThanOrEqual(10);
    const members = await db().selectFrom('team_members').select(['team_id']).execute();
    expect(new Set(members.map((m) => m.team_id)).size).toBe(5);
    const scoped = await db().selectFrom('users').select('org_scope').where('role', 'in', ['agent', 'manager']).where('org_scope', '!=', '[]').execute();
    expect(scoped.length).toBeGreaterThan(3);
    expect(result.logins.map((l) => l.label)).toEqual(['manager', 'agent', 'requester (fr)', 'requester (fr-CA)', 'requester (en)']);
  });

  it('has 300 incidents in every state, pending reason, resolution code and channel, for every organization', async () => {
    const incidents = await db().selectFrom('incidents').selectAll().execute();
    expect(incidents).toHaveLength(300);
    const values = <K extends keyof (typeof incidents)[number]>(k: K, rows = incidents) => new Set(rows.map((i) => i[k]));
    expect([...values('status')].sort()).toEqual([...IncidentStatus.options].sort());
    expect([...values('channel')].sort()).toEqual([...Channel.options].sort());
    expect([...values('pending_reason', incidents.filter((i) => i.status === 'pending'))].sort()).toEqual([...PendingReason.options].sort());
    const done = incidents.filter((i) => i.status === 'resolved' || i.status === 'closed');
    expect([...values('resolution_code', done)].sort()).toEqual([...ResolutionCode.options].sort());
    expect(values('priority').size).toBe(4);
    for (const status of IncidentStatus.options) expect(incidents.filter((i) => i.status === status).length, status).toBeGreaterThanOrEqual(3);
    expect(incidents.some((i) => i.reopen_count > 0)).toBe(true);
    expect(incidents.some((i) => i.priority_overridden === 1)).toBe(true);

    const orgIds = (await db().selectFrom('organizations').select('id').where('is_provider', '=', 0).execute()).map((o) => o.id);
    for (const id of orgIds) expect(incidents.filter((i) => i.org_id === id).length).toBeGreaterThan(40);

    // Major incidents: parents with children, resolved together.
    const parents = new Set(incidents.filter((i) => i.parent_id !== null).map((i) => i.parent_id));
    expect(parents.size).toBe(3);
    const closedParent = incidents.find((i) => parents.has(i.id) && i.status === 'closed')!;
    expect(incidents.filter((i) => i.parent_id === closedParent.id).every((c) => c.status === 'closed' && c.resolution_code === 'fixed')).toBe(true);
    expect(incidents.some((i) => parents.has(i.id) && i.status === 'in_progress')).toBe(true);
  });

  it('spreads realistic times over the past weeks, never in the future', async () => {
    const incidents = await db().selectFrom('incidents').select(['created_at', 'reported_at', 'updated_at', 'resolved_at', 'closed_at']).execute();
    const times = incidents.flatMap((i) => [i.created_at, i.reported_at, i.updated_at, i.resolved_at, i.closed_at]).filter((x): x is string => x !== null).map((x) => Date.parse(x));
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime());
    expect(NOW.getTime() - Math.min(...times)).toBeGreaterThan(40 * 86_400_000);
    expect(incidents.every((i) => i.reported_at <= i.created_at && i.created_at <= i.updated_at)).toBe(true);
    const recent = incidents.filter((i) => NOW.getTime() - Date.parse(i.created_at) < 3 * 86_400_000);
    expect(recent.length).toBeGreaterThan(30);
    // Ordered references: the history was written in time order.
    const byId = await db().selectFrom('incidents').select(['id', 'created_at']).orderBy('id').execute();
    expect(byId.every((r, i) => i === 0 || r.created_at >= byId[i - 1]!.created_at)).toBe(true);
  });

  it('writes timelines and outbox events through the use cases', async () => {
    const entries = await db().selectFrom('timeline_entries').select(['kind', 'visibility', 'event']).execute();
    const kinds = new Set(entries.map((e) => `${e.kind}/${e.visibility}`));
    expect(kinds).toEqual(new Set(['reply/public', 'note/internal', 'event/public', 'event/internal']));
    const events = new Set(entries.map((e) => e.event));
    for (const e of ['created', 'status_changed', 'fields_changed', 'requester_replied', 'resolved_with_parent', 'parent_update', 'auto_closed']) expect(events, e).toContain(e);

    const created = await db().selectFrom('events').select('aggregate_id').where('type', '=', 'incident.created').execute();
    expect(created).toHaveLength(300);
    expect(await count('events')).toBeGreaterThan(1000);
  });

  it('writes French for the French-speaking clients and English for the English-speaking one', async () => {
    const rows = await db()
      .selectFrom('incidents')
      .innerJoin('organizations', 'organizations.id', 'incidents.org_id')
      .select(['organizations.code', 'incidents.title', 'incidents.description'])
      .execute();
    const twl = rows.filter((r) => r.code === 'TWL');
    expect(twl.every((r) => !/[éèêàçô]/.test(r.title + r.description))).toBe(true);
    const french = rows.filter((r) => r.code !== 'TWL');
    expect(french.filter((r) => /[éèêàçô]/.test(r.title + r.description)).length / french.length).toBeGreaterThan(0.8);
    // Québec French: « courriel ».
    expect(rows.filter((r) => r.code === 'LTA').some((r) => /e-mail/.test(r.description))).toBe(false);
  });

  it('signs in the demo users with the shared password; a requester sees their organization only', async () => {
    const email = result.logins.find((l) => l.label === 'requester (en)')!.email;
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'vigie_session')!;
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/incidents?limit=200', cookies: { vigie_session: cookie.value } });
    expect(list.statusCode).toBe(200);
    const orgIds = new Set(list.json().items.map((i: { orgId: number }) => i.orgId));
    expect(orgIds.size).toBe(1);
  });

  it('keeps every incident\'s SLA state what its timeline says, policies adopted partway through included', async () => {
    const incidents = await db().selectFrom('incidents').selectAll().orderBy('id').execute();
    const entries = await db()
      .selectFrom('timeline_entries')
      .leftJoin('users', 'users.id', 'timeline_entries.author_id')
      .select(['timeline_entries.incident_id', 'timeline_entries.kind', 'timeline_entries.visibility', 'timeline_entries.event', 'timeline_entries.changes', 'timeline_entries.created_at', 'users.role'])
      .orderBy('timeline_entries.id')
      .execute();
    const timelines = new Map<number, typeof entries>();
    for (const e of entries) timelines.set(e.incident_id, [...(timelines.get(e.incident_id) ?? []), e]);
    const orgs = new Map((await db().selectFrom('organizations').selectAll().execute()).map((o) => [o.id, o]));
    const policies = (await db().selectFrom('sla_policies').selectAll().orderBy('id').execute()).map(toSlaPolicy);
    const clocks = new Map((await db().selectFrom('calendars').selectAll().execute()).map((c) => [c.id, clockOf(new CompiledCalendar(specOf(c)))]));
    expect(policies.map((p) => p.createdAt)).toEqual(SLA_POLICIES.map((p) => expect.stringMatching(new Date(NOW.getTime() - p.daysAgo * 86_400_000).toISOString().slice(0, 10))));
    const adoptedAt = policies[0]!.createdAt;

    const seen = { withPolicy: 0, ownedBeforeAdoption: 0, paused: 0, breached: 0, closedWithout: 0, reopened: 0 };
    for (const row of incidents) {
      const ref = `I-${row.id}`;
      // The history, read from the timeline alone.
      const history = historyFromTimeline(timelines.get(row.id) ?? []);
      expect({ firstOwnedAt: row.first_owned_at, pending: JSON.parse(row.pending_spans), resolved: JSON.parse(row.resolved_spans) }, ref).toEqual(history);

      // Policies apply to open incidents; a resolved or closed one keeps the policy it was resolved under.
      const open = isOpen(row.status as IncidentStatus);
      const org = orgs.get(row.org_id)!;
      const applies = slaApplies({ maturityLevel: org.maturity_level, slaEnabled: org.sla_enabled === null ? null : org.sla_enabled === 1 });
      const candidates = policies.filter((p) => p.active && (p.orgId === null || p.orgId === row.org_id));
      const policy = open ? (applies ? selectPolicy(candidates, { orgId: row.org_id, serviceId: row.service_id }) : null) : (policies.find((p) => p.id === row.sla_policy_id) ?? null);
      const clock = policy ? clocks.get(policy.calendarId)! : null;
      const facts = {
        priority: row.priority,
        reportedAt: new Date(row.reported_at),
        resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null,
        firstOwnedAt: history.firstOwnedAt ? new Date(history.firstOwnedAt) : null,
        pending: history.pending.map((p) => ({ reason: p.reason as PendingReason, from: new Date(p.from), to: p.to ? new Date(p.to) : null })),
        resolved: history.resolved.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null })),
      };
      const state = slaState(policy, clock, facts, NO_FLAGS, NOW);
      const iso = (d: Date | null) => (d ? d.toISOString() : null);
      expect(
        { policy: row.sla_policy_id, ttoDue: row.tto_due_at, ttoWarn: row.tto_warn_at, ttrDue: row.ttr_due_at, ttrWarn: row.ttr_warn_at, ttoMet: row.tto_met_at, pausedMinutes: row.sla_paused_minutes, pausedSince: row.sla_paused_since },
        ref,
      ).toEqual({
        policy: state.slaPolicyId, ttoDue: iso(state.ttoDueAt), ttoWarn: iso(state.ttoWarnAt), ttrDue: iso(state.ttrDueAt), ttrWarn: iso(state.ttrWarnAt), ttoMet: iso(state.ttoMetAt),
        pausedMinutes: state.pausedMinutes, pausedSince: iso(state.pausedSince),
      });

      // Escalations: after the worker's last run (at NOW), recorded exactly for the deadlines crossed before
      // their clock stopped. While TTR is paused the worker does not look at it: a crossing before the pause
      // may still be unrecorded (it is once the clock runs again), but nothing recorded is uncrossed.
      const stored = { tto_warning: row.tto_warned === 1, tto_breached: row.tto_breached === 1, ttr_warning: row.ttr_warned === 1, ttr_breached: row.ttr_breached === 1 };
      const running = policy && clock ? computeDeadlines(policy, facts, state.pausedMinutes, clock) : null;
      const crossed = (at: Date | null | undefined, stop: Date) => at != null && at.getTime() <= stop.getTime();
      const ttoStop = facts.firstOwnedAt ?? NOW;
      const ttrStop = state.pausedSince ?? facts.resolvedAt ?? NOW;
      const expected = {
        tto_warning: crossed(running?.ttoWarnAt, ttoStop),
        tto_breached: crossed(running?.ttoDueAt, ttoStop),
        ttr_warning: crossed(running?.ttrWarnAt, ttrStop),
        ttr_breached: crossed(running?.ttrDueAt, ttrStop),
      };
      if (state.pausedSince) {
        expect(stored.ttr_warning && !expected.ttr_warning, ref).toBe(false);
        expect(stored.ttr_breached && !expected.ttr_breached, ref).toBe(false);
        expect({ tto_warning: stored.tto_warning, tto_breached: stored.tto_breached }, ref).toEqual({ tto_warning: expected.tto_warning, tto_breached: expected.tto_breached });
      } else {
        expect(stored, ref).toEqual(expected);
      }
      const next = nextCheckAt({ ...state, flags: stored }, facts.resolvedAt);
      expect(row.sla_next_check_at, ref).toBe(iso(next));

      if (policy) seen.withPolicy++;
      if (policy && history.firstOwnedAt && history.firstOwnedAt < adoptedAt) seen.ownedBeforeAdoption++;
      if (state.pausedMinutes > 0 || state.pausedSince) seen.paused++;
      if (stored.tto_breached || stored.ttr_breached) seen.breached++;
      if (!policy && !open) seen.closedWithout++;
      if (policy && history.resolved.some((r) => r.to !== null)) seen.reopened++;
    }
    // Not a vacuous comparison: SLAs for most incidents, history from before the policies, pauses, breaches.
    expect(seen.withPolicy).toBeGreaterThan(150);
    expect(seen.ownedBeforeAdoption).toBeGreaterThan(5);
    expect(seen.paused).toBeGreaterThan(10);
    expect(seen.breached).toBeGreaterThan(5);
    expect(seen.closedWithout).toBeGreaterThan(20);
    // Reopened under a policy: the time they sat resolved does not count against TTR.
    expect(seen.reopened).toBeGreaterThan(3);

    // Incidents owned in time count as such in the SLA report.
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: result.logins.find((l) => l.label === 'manager')!.email, password: DEMO_PASSWORD } });
    const report = await t.app.inject({ method: 'GET', url: `/api/v1/reports/sla?from=${adoptedAt}&to=${NOW.toISOString()}`, cookies: { vigie_session: login.cookies.find((c) => c.name === 'vigie_session')!.value } });
    const rows = report.json().rows as { ttoMet: number; ttoBreached: number }[];
    const met = rows.reduce((n, r) => n + r.ttoMet, 0);
    expect(met / rows.reduce((n, r) => n + r.ttoMet + r.ttoBreached, 0)).toBeGreaterThan(0.5);
  });

  it('does nothing on a database that already has client organizations', async () => {
    const before = await count('incidents');
    const again = await seedDemo(t.database, { now: NOW });
    expect(again.seeded).toBe(false);
    expect(again.logins).toHaveLength(5);
    expect(await count('incidents')).toBe(before);
  });

  it(
    'is deterministic: the same seed gives the same data set',
    async () => {
      const other = await freshDatabase(dialect);
      try {
        await seedDemo(other.database, { now: NOW });
        const fingerprint = (d: Database) =>
          d.db.selectFrom('incidents').select(['id', 'org_id', 'title', 'status', 'channel', 'priority', 'created_at', 'resolution_code']).orderBy('id').execute();
        expect(await fingerprint(other.database)).toEqual(await fingerprint(t.database));
      } finally {
        await other.close();
      }
    },
    SLOW,
  );
});

const NO_FLAGS = { tto_warning: false, tto_breached: false, ttr_warning: false, ttr_breached: false };

function clockOf(cal: CompiledCalendar): BusinessClock {
  return { deadline: (start, minutes) => cal.deadline(start, minutes), minutesBetween: (from, to) => cal.businessMinutes(from, to) };
}

/**
 * An incident's SLA history read from its timeline only: owned at the first change of agent to someone, public
 * reply by staff on the incident itself (not a parent's update) or resolution; a stay in `pending` from each
 * status change into it to the next status change; a stay in `resolved` from each resolution to the next status
 * change that reopens it (closing continues it).
 */
function historyFromTimeline(entries: { kind: string; visibility: string; event: string | null; changes: string | null; created_at: string; role: string | null }[]) {
  let firstOwnedAt: string | null = null;
  const pending: { reason: string; from: string; to: string | null }[] = [];
  const resolved: { from: string; to: string | null }[] = [];
  for (const e of entries) {
    const changes = (e.changes ? JSON.parse(e.changes) : []) as { field: string; from: unknown; to: unknown }[];
    const change = (field: string) => changes.find((c) => c.field === field);
    const status = change('status');
    const done = status !== undefined && !isOpen(status.to as IncidentStatus);
    const staffReply = e.kind === 'reply' && e.visibility === 'public' && e.role !== null && e.role !== 'requester' && e.event !== 'parent_update';
    if (firstOwnedAt === null && (staffReply || change('agentId')?.to != null || done)) firstOwnedAt = e.created_at;
    if (!status) continue;
    const last = pending.at(-1);
    if (last && last.to === null) last.to = e.created_at;
    if (status.to === 'pending') pending.push({ reason: String(change('pendingReason')!.to), from: e.created_at, to: null });
    const stay = resolved.at(-1);
    if (status.from === 'resolved' && isOpen(status.to as IncidentStatus)) stay!.to = e.created_at;
    if (status.to === 'resolved') resolved.push({ from: e.created_at, to: null });
  }
  return { firstOwnedAt, pending, resolved };
}

async function freshDatabase(dialect: Dialect) {
  const target = await createTestDatabase(dialect);
  const database = createDatabase(target.url, { poolSize: 5 });
  await migrateToLatest(database.db);
  await ensureFirstAdmin(database.db, { now: () => new Date('2026-01-01T00:00:00Z') }, { adminEmail: 'admin@test.local', adminPassword: 'admin-password-123', providerName: 'Test Provider' }, { info() {}, warn() {} } as never);
  return {
    database,
    async close() {
      await database.close();
      await target.drop();
    },
  };
}

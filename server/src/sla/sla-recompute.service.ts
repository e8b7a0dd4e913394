import type { Ctx } from '../context.ts';
import type { Trx } from '../db/database.ts';
import { type OrganizationUpdated, subscribeInTransaction } from '../events/event-bus.ts';
import { OPEN_STATUSES } from '../incidents/incident-lifecycle.ts';
import {
  clearSlaStale, lockOpenIncidentsForSla, lockStaleSlaIncidents, openIncidentIds, type SlaColumns, type SlaFacts, updateSlaColumnsMany,
} from '../incidents/incident.repository.ts';
import { getOrganization } from '../organizations/organization.repository.ts';
import { type Actor, assertInScope, MANAGERS, requireRole, scopeOf } from '../tenancy/scope.ts';
import { SlaLookups, slaColumnsFor } from './incident-sla.service.ts';
import { slaApplies } from './sla-rules.ts';

const BATCH = 1000;
// Batches in flight: on PostgreSQL one batch's UPDATE runs in the server while the next is computed here;
// SQLite has a single connection.
const IN_FLIGHT = { sqlite: 1, postgres: 2 } as const;
// The upgrade's recompute: a run handles at most this many batches, so that it stays bounded.
const STALE_BATCH = 500;
const STALE_ROUNDS = 20;

/**
 * Recomputes the SLA state of every open incident, or of one organization's (after a change of policies or
 * calendars): policy, then deadlines, paused time and TTO met from each incident's history, and the next
 * escalation check. One transaction per batch of ids, its incidents locked while they are rewritten. Only the
 * organizations in the actor's scope (or the one asked for): a manager of some organizations never rewrites
 * another's deadlines.
 * @returns how many incidents were recomputed
 */
export async function recomputeOpenIncidents(ctx: Ctx, actor: Actor, input: { orgId?: number } = {}): Promise<{ recomputed: number }> {
  requireRole(actor, ...MANAGERS);
  if (input.orgId !== undefined) assertInScope(actor, input.orgId, 'Organization');
  const scope = scopeOf(actor);
  const orgIds = input.orgId !== undefined ? [input.orgId] : scope.all ? undefined : scope.orgIds;
  const now = ctx.clock.now();
  const ranges = idRanges(await openIncidentIds(ctx.db, orgIds));
  let next = 0;
  let recomputed = 0;
  const worker = async () => {
    while (next < ranges.length) {
      const [from, to] = ranges[next++]!;
      recomputed += await ctx.db.transaction().execute(async (trx) => recompute(trx, await lockOpenIncidentsForSla(trx, from, to, orgIds), now, new SlaLookups(trx)));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT[ctx.dialect] }, worker));
  return { recomputed };
}

/** What the SLA module keeps in step with other modules' changes, inside their transactions (once, from `buildCtx`). */
export function subscribeSla(): void {
  subscribeInTransaction('organization.updated', onOrganizationUpdated);
}

/**
 * The worker's job after an upgrade: recomputes from their history the open incidents whose SLA state was
 * computed before the history existed (flagged by the migration that added it), and clears the flag; at most
 * STALE_ROUNDS batches a run. Safe on several nodes (flagged rows are claimed with SKIP LOCKED).
 * @returns how many incidents were recomputed
 */
export async function recomputeStaleIncidents(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  let recomputed = 0;
  for (let round = 0; round < STALE_ROUNDS; round++) {
    const claimed = await ctx.db.transaction().execute(async (trx) => {
      const rows = await lockStaleSlaIncidents(trx, STALE_BATCH);
      // Resolved or closed since the upgrade: they keep the state they were resolved with.
      const open = rows.filter((r) => (OPEN_STATUSES as readonly string[]).includes(r.status));
      recomputed += await recompute(trx, open, now, new SlaLookups(trx));
      await clearSlaStale(trx, rows.map((r) => r.id));
      return rows.length;
    });
    if (claimed < STALE_BATCH) break;
  }
  return recomputed;
}

/**
 * When a change of maturity or SLA setting turns SLAs on or off for the organization, its open incidents get
 * their SLA state from their history inside the same transaction, so that the change and its effect commit
 * together. Any other change leaves them alone.
 */
async function onOrganizationUpdated(trx: Trx, event: OrganizationUpdated, at: string): Promise<void> {
  const changed = event.payload.changes.filter((c) => c.field === 'maturityLevel' || c.field === 'slaEnabled');
  if (changed.length === 0) return;
  const org = await getOrganization(trx, event.aggregateId);
  if (!org) return;
  const after = { maturityLevel: org.maturity_level, slaEnabled: org.sla_enabled === null ? null : org.sla_enabled === 1 };
  const before = { ...after, ...Object.fromEntries(changed.map((c) => [c.field, c.from])) } as typeof after;
  if (slaApplies(before) === slaApplies(after)) return;
  const now = new Date(at);
  const lookups = new SlaLookups(trx);
  for (const [from, to] of idRanges(await openIncidentIds(trx, [org.id]))) {
    await recompute(trx, await lockOpenIncidentsForSla(trx, from, to, [org.id]), now, lookups);
  }
}

/** Writes the SLA state of `rows` computed from their history; returns how many were looked at. */
async function recompute(trx: Trx, rows: SlaFacts[], now: Date, lookups: SlaLookups): Promise<number> {
  const changed: (SlaColumns & { id: number })[] = [];
  for (const row of rows) {
    const values = await slaColumnsFor(row, now, lookups);
    if (values) changed.push({ id: row.id, ...values });
  }
  // One statement per batch on PostgreSQL: a round trip per incident would dominate.
  await updateSlaColumnsMany(trx, changed);
  return rows.length;
}

/** Sorted ids cut into [first, last] ranges of BATCH ids. */
function idRanges(ids: number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < ids.length; i += BATCH) ranges.push([ids[i]!, ids[Math.min(i + BATCH, ids.length) - 1]!]);
  return ranges;
}

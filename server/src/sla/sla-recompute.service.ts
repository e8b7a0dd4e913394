import type { Ctx } from '../context.ts';
import { lockOpenIncidentsForSla, openIncidentIds, type SlaColumns, updateSlaColumnsMany } from '../incidents/incident.repository.ts';
import { type Actor, assertInScope, MANAGERS, requireRole, scopeOf } from '../tenancy/scope.ts';
import { SlaLookups, slaColumnsFor } from './incident-sla.service.ts';

const BATCH = 1000;
// Batches in flight: on PostgreSQL one batch's UPDATE runs in the server while the next is computed here;
// SQLite has a single connection.
const IN_FLIGHT = { sqlite: 1, postgres: 2 } as const;

/**
 * Recomputes the SLA state of every open incident, or of one organization's (after a change of policies,
 * calendars, or the organization's SLA setting or maturity): policy, then deadlines, paused time and TTO met
 * from each incident's history, and the next escalation check. One transaction per batch of ids, its
 * incidents locked while they are rewritten. Only the organizations in the actor's scope (or the one asked
 * for): a manager of some organizations never rewrites another's deadlines.
 * @returns how many incidents were recomputed
 */
export async function recomputeOpenIncidents(ctx: Ctx, actor: Actor, input: { orgId?: number } = {}): Promise<{ recomputed: number }> {
  requireRole(actor, ...MANAGERS);
  if (input.orgId !== undefined) assertInScope(actor, input.orgId, 'Organization');
  const scope = scopeOf(actor);
  const orgIds = input.orgId !== undefined ? [input.orgId] : scope.all ? undefined : scope.orgIds;
  const now = ctx.clock.now();
  const ids = await openIncidentIds(ctx.db, orgIds);
  const ranges: [number, number][] = [];
  for (let i = 0; i < ids.length; i += BATCH) ranges.push([ids[i]!, ids[Math.min(i + BATCH, ids.length) - 1]!]);
  let next = 0;
  let recomputed = 0;
  const worker = async () => {
    while (next < ranges.length) {
      const [from, to] = ranges[next++]!;
      const done = await ctx.db.transaction().execute(async (trx) => {
        const rows = await lockOpenIncidentsForSla(trx, from, to, orgIds);
        const lookups = new SlaLookups(trx);
        const changed: (SlaColumns & { id: number })[] = [];
        for (const row of rows) {
          const values = await slaColumnsFor(row, now, lookups);
          if (values) changed.push({ id: row.id, ...values });
        }
        // One statement per batch on PostgreSQL: a round trip per incident would dominate.
        await updateSlaColumnsMany(trx, changed);
        return rows.length;
      });
      recomputed += done;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT[ctx.dialect] }, worker));
  return { recomputed };
}

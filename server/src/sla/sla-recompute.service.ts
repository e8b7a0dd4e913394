import type { Ctx } from '../context.ts';
import { openIncidentsAfter, type SlaColumns, updateSlaColumnsMany } from '../incidents/incident.repository.ts';
import { type Actor, MANAGERS, requireRole } from '../tenancy/scope.ts';
import { SlaLookups, slaColumnsFor } from './incident-sla.service.ts';

const BATCH = 1000;

/**
 * Recomputes the SLA state of every open incident (after a change of policies or calendars): policy,
 * deadlines from reportedAt with paused time kept, and the next escalation check. One transaction per batch.
 * @returns how many incidents were recomputed
 */
export async function recomputeOpenIncidents(ctx: Ctx, actor: Actor): Promise<{ recomputed: number }> {
  requireRole(actor, ...MANAGERS);
  const now = ctx.clock.now();
  let afterId = 0;
  let recomputed = 0;
  for (;;) {
    const done = await ctx.db.transaction().execute(async (trx) => {
      const rows = await openIncidentsAfter(trx, afterId, BATCH);
      const lookups = new SlaLookups(trx);
      const changed: (SlaColumns & { id: number })[] = [];
      for (const row of rows) {
        const values = await slaColumnsFor(row, now, lookups);
        if (values) changed.push({ id: row.id, ...values });
      }
      // One statement per batch: a round trip per incident would dominate on PostgreSQL.
      await updateSlaColumnsMany(trx, changed);
      return rows;
    });
    recomputed += done.length;
    if (done.length < BATCH) return { recomputed };
    afterId = done[done.length - 1]!.id;
  }
}

import type { z } from 'zod';
import type { SlaReportQuery } from '../../../contract/sla.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { slaOutcomes } from '../incidents/incident.repository.ts';
import { type Actor, requireRole, STAFF } from '../tenancy/scope.ts';

/** SLA compliance per organization and priority, for incidents reported in the period. */
export async function slaReport(ctx: Ctx, actor: Actor, query: z.infer<typeof SlaReportQuery>) {
  requireRole(actor, ...STAFF);
  const from = new Date(query.from).toISOString();
  const to = new Date(query.to).toISOString();
  if (from >= to) throw AppError.validation([{ path: 'to', message: 'Must be after from' }]);
  const rows = await slaOutcomes(ctx.db, actor, { from, to, orgId: query.orgId });
  return {
    from,
    to,
    rows: rows.map((r) => {
      const [ttoMet, ttoBreached, ttrMet, ttrBreached] = [r.tto_met, r.tto_breached, r.ttr_met, r.ttr_breached].map(Number) as [number, number, number, number];
      return {
        orgId: r.org_id,
        priority: r.priority,
        incidents: Number(r.incidents),
        ttoMet,
        ttoBreached,
        ttrMet,
        ttrBreached,
        ttoCompliance: percent(ttoMet, ttoBreached),
        ttrCompliance: percent(ttrMet, ttrBreached),
      };
    }),
  };
}

function percent(met: number, breached: number): number | null {
  return met + breached === 0 ? null : Math.round((met / (met + breached)) * 1000) / 10;
}

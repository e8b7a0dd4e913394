import type { Ctx } from '../context.ts';
import { appendEvent } from '../events/event.repository.ts';
import { listAutoClosingOrganizations } from '../organizations/organization.repository.ts';
import { appendTimeline } from '../timeline/timeline.repository.ts';
import * as repo from './incident.repository.ts';

const BATCH = 200;

/**
 * Closes incidents left resolved longer than their organization's `autoCloseDays` (the requester
 * neither confirmed nor reopened). Each close is its own transaction with its timeline entry and event.
 * @returns how many incidents were closed
 */
export async function autoCloseResolved(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  let closed = 0;
  for (const org of await listAutoClosingOrganizations(ctx.db)) {
    const cutoff = new Date(now.getTime() - org.auto_close_days * 86_400_000).toISOString();
    for (const incident of await repo.findStaleResolved(ctx.db, org.id, cutoff, BATCH)) {
      const at = now.toISOString();
      const done = await ctx.db.transaction().execute(async (trx) => {
        if (!(await repo.closeIfStillResolved(trx, incident.id, at))) return false;
        const changes = [{ field: 'status', from: 'resolved', to: 'closed' }];
        await appendTimeline(trx, [{ orgId: org.id, incidentId: incident.id, kind: 'event', visibility: 'public', authorId: null, event: 'auto_closed', changes }], at);
        await appendEvent(trx, { type: 'incident.status_changed', orgId: org.id, aggregateType: 'incident', aggregateId: incident.id, actorId: null, payload: { from: 'resolved', to: 'closed', changes, automatic: true } }, at);
        return true;
      });
      if (done) closed++;
    }
  }
  return closed;
}

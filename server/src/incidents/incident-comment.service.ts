import type { z } from 'zod';
import type { CreateCommentBody } from '../../../contract/incidents.ts';
import type { Ctx } from '../context.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { type Actor, isStaff } from '../tenancy/scope.ts';
import { appendTimeline, getTimelineEntry, type NewTimelineEntry, toTimelineEntry } from '../timeline/timeline.repository.ts';
import { incidentRef } from './incident.mapper.ts';
import * as repo from './incident.repository.ts';
import { refreshIncidentSla } from '../sla/incident-sla.service.ts';
import { loadForChange } from './incident.service.ts';
import { timelineEntryForRequester } from './requester-view.ts';

/**
 * Adds a public reply or an internal note. A requester's reply takes a `pending` incident back to
 * `in_progress`; a public update on a parent reaches its children's timelines.
 */
export async function addComment(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof CreateCommentBody>) {
  if (!isStaff(actor) && input.visibility === 'internal') {
    throw AppError.validation([{ path: 'visibility', message: 'Requesters can only reply publicly' }]);
  }
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const incident = await loadForChange(trx, actor, id);
    const kind = input.visibility === 'public' ? 'reply' : 'note';
    const entries: NewTimelineEntry[] = [{ orgId: incident.org_id, incidentId: id, kind, visibility: input.visibility, authorId: actor.userId, body: input.body }];
    if (!isStaff(actor) && incident.status === 'pending') {
      const resumed = await repo.updateIncident(trx, id, { status: 'in_progress', pending_reason: null, updated_at: now, last_customer_update_at: now });
      await refreshIncidentSla(trx, resumed, new Date(now));
      const changes = [{ field: 'status', from: 'pending', to: 'in_progress' }, { field: 'pendingReason', from: incident.pending_reason, to: null }];
      entries.push({ orgId: incident.org_id, incidentId: id, kind: 'event', visibility: 'public', authorId: null, event: 'requester_replied', changes });
      // Consumers such as SLA timers follow status changes: this one must reach the outbox too.
      await appendEvent(trx, { type: 'incident.status_changed', orgId: incident.org_id, aggregateType: 'incident', aggregateId: id, actorId: actor.userId, payload: { from: 'pending', to: 'in_progress', changes } }, now);
    } else {
      const row = await repo.updateIncident(trx, id, { updated_at: now, ...(!isStaff(actor) && { last_customer_update_at: now }) });
      // The first public reply by the service desk owns the incident (TTO met); later ones change nothing.
      if (kind === 'reply' && isStaff(actor) && row.first_owned_at === null) await refreshIncidentSla(trx, row, new Date(now), { answeredByStaff: true });
    }
    const [entryId] = await appendTimeline(trx, entries, now);
    if (kind === 'reply' && isStaff(actor)) {
      const children = await repo.findOpenChildren(trx, actor, id);
      await appendTimeline(
        trx,
        children.map((c) => ({ orgId: c.org_id, incidentId: c.id, kind: 'reply' as const, visibility: 'public' as const, authorId: actor.userId, body: input.body, event: 'parent_update' })),
        now,
      );
    }
    await appendEvent(trx, { type: 'incident.commented', orgId: incident.org_id, aggregateType: 'incident', aggregateId: id, actorId: actor.userId, payload: { visibility: input.visibility, ref: incidentRef(id) } }, now);
    const entry = { ...toTimelineEntry(await getTimelineEntry(trx, entryId!)), attachments: [] };
    return isStaff(actor) ? entry : timelineEntryForRequester(entry);
  });
}

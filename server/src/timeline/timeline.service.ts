import type { z } from 'zod';
import type { TimelineQuery } from '../../../contract/incidents.ts';
import { attachmentsOfEntries, toAttachment } from '../attachments/attachment.repository.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { findVisibleIncident } from '../incidents/incident.repository.ts';
import { timelineEntryForRequester } from '../incidents/requester-view.ts';
import { decodeCursor, toPage } from '../lib/cursor.ts';
import { type Actor, isStaff } from '../tenancy/scope.ts';
import { listTimeline, toTimelineEntry } from './timeline.repository.ts';

/** The incident's timeline, oldest first, with its attachments; requesters see public entries only, as `timelineEntryForRequester` gives them. */
export async function getTimeline(ctx: Ctx, actor: Actor, id: number, query: z.infer<typeof TimelineQuery>) {
  const incident = await findVisibleIncident(ctx.db, actor, id);
  if (!incident) throw AppError.notFound('Incident');
  const afterId = query.cursor ? Number(decodeCursor(query.cursor)[1]) : undefined;
  const rows = await listTimeline(ctx.db, id, { publicOnly: !isStaff(actor), afterId, limit: query.limit });
  const files = await attachmentsOfEntries(ctx.db, rows.filter((r) => r.event === 'attachments_added').map((r) => r.id));
  const present = (r: (typeof rows)[number]) => {
    const entry = { ...toTimelineEntry(r), attachments: (files.get(r.id) ?? []).map(toAttachment) };
    return isStaff(actor) ? entry : timelineEntryForRequester(entry);
  };
  return toPage(rows, query.limit, present, (r) => [r.id, r.id]);
}

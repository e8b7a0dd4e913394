import type { Ctx } from '../context.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { loadForChange } from '../incidents/incident.service.ts';
import { findVisibleIncident } from '../incidents/incident.repository.ts';
import { attachmentForRequester } from '../incidents/requester-view.ts';
import { type Actor, isStaff } from '../tenancy/scope.ts';
import { appendTimeline } from '../timeline/timeline.repository.ts';
import { sniffContentType } from './attachment-storage.ts';
import * as repo from './attachment.repository.ts';

export interface UploadedFile {
  filename: string;
  content: Buffer;
}

/**
 * Attaches files to an incident: one timeline entry lists them. Files are written first and removed
 * again if the transaction fails, so a row never points to a missing file.
 */
export async function addAttachments(ctx: Ctx, actor: Actor, incidentId: number, files: UploadedFile[], visibility: 'public' | 'internal') {
  if (files.length === 0) throw AppError.validation([{ path: 'file', message: 'Add at least one file' }]);
  if (!isStaff(actor) && visibility === 'internal') throw AppError.validation([{ path: 'visibility', message: 'Requesters can only add public attachments' }]);
  const incident = await findVisibleIncident(ctx.db, actor, incidentId);
  if (!incident) throw AppError.notFound('Incident');
  const stored = await Promise.all(
    files.map(async (f) => ({ ...f, key: await ctx.storage.write(incident.org_id, f.content), type: await sniffContentType(f.content) })),
  );
  const now = ctx.clock.now().toISOString();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      await loadForChange(trx, actor, incidentId);
      const [entryId] = await appendTimeline(
        trx,
        [{
          orgId: incident.org_id, incidentId, kind: 'event', visibility, authorId: actor.userId, event: 'attachments_added',
          changes: stored.map((f) => ({ field: 'attachment', from: null, to: f.filename })),
        }],
        now,
      );
      const rows = [];
      for (const f of stored) {
        rows.push(
          await repo.insertAttachment(trx, {
            org_id: incident.org_id, incident_id: incidentId, timeline_entry_id: entryId, visibility, filename: f.filename,
            content_type: f.type, size: f.content.length, storage_key: f.key, uploaded_by: actor.userId, created_at: now,
          }),
        );
      }
      await appendEvent(trx, { type: 'incident.attachments_added', orgId: incident.org_id, aggregateType: 'incident', aggregateId: incidentId, actorId: actor.userId, payload: { visibility, files: rows.map((r) => r.filename) } }, now);
      return rows.map((r) => present(actor, repo.toAttachment(r)));
    });
  } catch (err) {
    await Promise.all(stored.map((f) => ctx.storage.remove(f.key)));
    throw err;
  }
}

export async function listIncidentAttachments(ctx: Ctx, actor: Actor, incidentId: number) {
  if (!(await findVisibleIncident(ctx.db, actor, incidentId))) throw AppError.notFound('Incident');
  return (await repo.listAttachments(ctx.db, incidentId, !isStaff(actor))).map((r) => present(actor, repo.toAttachment(r)));
}

/** A file as the API answers this actor: requesters are not given who uploaded it. */
function present(actor: Actor, file: ReturnType<typeof repo.toAttachment>) {
  return isStaff(actor) ? file : attachmentForRequester(file);
}

/** An attachment the actor may download: its incident is visible, and internal files are for staff. */
export async function getAttachmentFile(ctx: Ctx, actor: Actor, id: number) {
  const row = await repo.getAttachment(ctx.db, id);
  if (!row || (row.visibility === 'internal' && !isStaff(actor)) || !(await findVisibleIncident(ctx.db, actor, row.incident_id))) {
    throw AppError.notFound('Attachment');
  }
  return { ...repo.toAttachment(row), path: ctx.storage.pathOf(row.storage_key) };
}

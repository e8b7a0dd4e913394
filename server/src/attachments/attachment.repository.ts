import type { Insertable, Selectable } from 'kysely';
import type { AttachmentTable, Executor } from '../db/database.ts';

export type AttachmentRow = Selectable<AttachmentTable>;

export function insertAttachment(db: Executor, values: Insertable<AttachmentTable>) {
  return db.insertInto('attachments').values(values).returningAll().executeTakeFirstOrThrow();
}

export function getAttachment(db: Executor, id: number) {
  return db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listAttachments(db: Executor, incidentId: number, publicOnly: boolean) {
  let q = db.selectFrom('attachments').selectAll().where('incident_id', '=', incidentId);
  if (publicOnly) q = q.where('visibility', '=', 'public');
  return q.orderBy('id').execute();
}

/** Attachments of each timeline entry, in one query. */
export async function attachmentsOfEntries(db: Executor, entryIds: number[]): Promise<Map<number, AttachmentRow[]>> {
  const map = new Map<number, AttachmentRow[]>();
  if (entryIds.length === 0) return map;
  const rows = await db.selectFrom('attachments').selectAll().where('timeline_entry_id', 'in', entryIds).orderBy('id').execute();
  for (const r of rows) map.set(r.timeline_entry_id!, [...(map.get(r.timeline_entry_id!) ?? []), r]);
  return map;
}

export function toAttachment(row: AttachmentRow) {
  return {
    id: row.id,
    incidentId: row.incident_id,
    timelineEntryId: row.timeline_entry_id,
    visibility: row.visibility as 'public' | 'internal',
    filename: row.filename,
    contentType: row.content_type,
    size: row.size,
    uploadedById: row.uploaded_by,
    createdAt: row.created_at,
    url: `/api/v1/attachments/${row.id}`,
  };
}

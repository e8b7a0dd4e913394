import type { Insertable, Selectable } from 'kysely';
import type { Executor, TimelineEntryTable, Trx } from '../db/database.ts';
import type { FieldChange } from '../lib/diff.ts';

export type TimelineKind = 'reply' | 'note' | 'event';
export type Visibility = 'public' | 'internal';

export interface NewTimelineEntry {
  orgId: number;
  incidentId: number;
  kind: TimelineKind;
  visibility: Visibility;
  authorId: number | null;
  body?: string | null;
  event?: string | null;
  changes?: FieldChange[] | null;
}

/** Appends one entry to an incident's timeline (its audit trail); inside the use case's transaction. */
export async function appendTimeline(trx: Trx, entries: NewTimelineEntry[], at: string): Promise<number[]> {
  if (entries.length === 0) return [];
  const rows: Insertable<TimelineEntryTable>[] = entries.map((e) => ({
    org_id: e.orgId,
    incident_id: e.incidentId,
    kind: e.kind,
    visibility: e.visibility,
    author_id: e.authorId,
    body: e.body ?? null,
    event: e.event ?? null,
    changes: e.changes ? JSON.stringify(e.changes) : null,
    created_at: at,
  }));
  const inserted = await trx.insertInto('timeline_entries').values(rows).returning('id').execute();
  return inserted.map((r) => r.id);
}

export function getTimelineEntry(db: Executor, id: number) {
  return db
    .selectFrom('timeline_entries')
    .leftJoin('users', 'users.id', 'timeline_entries.author_id')
    .selectAll('timeline_entries')
    .select('users.name as author_name')
    .where('timeline_entries.id', '=', id)
    .executeTakeFirstOrThrow();
}

export function listTimeline(db: Executor, incidentId: number, f: { publicOnly: boolean; afterId?: number; limit: number }) {
  let q = db
    .selectFrom('timeline_entries')
    .leftJoin('users', 'users.id', 'timeline_entries.author_id')
    .selectAll('timeline_entries')
    .select('users.name as author_name')
    .where('timeline_entries.incident_id', '=', incidentId);
  if (f.publicOnly) q = q.where('timeline_entries.visibility', '=', 'public');
  if (f.afterId !== undefined) q = q.where('timeline_entries.id', '>', f.afterId);
  return q.orderBy('timeline_entries.id').limit(f.limit + 1).execute();
}

export function toTimelineEntry(row: Selectable<TimelineEntryTable> & { author_name: string | null }) {
  return {
    id: row.id,
    incidentId: row.incident_id,
    kind: row.kind as TimelineKind,
    visibility: row.visibility as Visibility,
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    event: row.event,
    changes: row.changes ? (JSON.parse(row.changes) as FieldChange[]) : null,
    createdAt: row.created_at,
  };
}

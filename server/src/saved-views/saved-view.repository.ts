import type { Selectable } from 'kysely';
import type { Executor, SavedViewTable } from '../db/database.ts';

export function listSavedViews(db: Executor, userId: number) {
  return db.selectFrom('saved_views').selectAll().where('user_id', '=', userId).orderBy('name').execute();
}

export function insertSavedView(db: Executor, v: { userId: number; name: string; filters: Record<string, string>; at: string }) {
  return db
    .insertInto('saved_views')
    .values({ user_id: v.userId, name: v.name, filters: JSON.stringify(v.filters), created_at: v.at })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteSavedView(db: Executor, userId: number, id: number) {
  const r = await db.deleteFrom('saved_views').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export function toSavedView(row: Selectable<SavedViewTable>) {
  return { id: row.id, name: row.name, filters: JSON.parse(row.filters) as Record<string, string>, createdAt: row.created_at };
}

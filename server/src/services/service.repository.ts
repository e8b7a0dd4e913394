import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor, ServiceTable } from '../db/database.ts';

export function getService(db: Executor, id: number) {
  return db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listServices(db: Executor, f: { afterId?: number; limit: number; active?: boolean }) {
  let q = db.selectFrom('services').selectAll();
  if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
  return q.orderBy('id').limit(f.limit + 1).execute();
}

export function insertService(db: Executor, values: Insertable<ServiceTable>) {
  return db.insertInto('services').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateService(db: Executor, id: number, values: Updateable<ServiceTable>) {
  return db.updateTable('services').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function toService(row: Selectable<ServiceTable>) {
  return { id: row.id, name: row.name, description: row.description, active: row.active === 1, createdAt: row.created_at, updatedAt: row.updated_at };
}

import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor, PersonTable } from '../db/database.ts';
import { type Actor, scoped } from '../tenancy/scope.ts';

export type PersonRow = Selectable<PersonTable>;

export function toPerson(row: PersonRow) {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    locale: row.locale as 'fr' | 'en' | null,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A person the actor may see, or undefined. */
export function findPerson(db: Executor, actor: Actor, id: number) {
  return scoped(db.selectFrom('people').selectAll(), 'people.org_id', actor).where('id', '=', id).executeTakeFirst();
}

/** Unscoped read by id, for rules that already know the organization. */
export function getPerson(db: Executor, id: number) {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertPerson(db: Executor, values: Insertable<PersonTable>) {
  return db.insertInto('people').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updatePerson(db: Executor, id: number, values: Updateable<PersonTable>) {
  return db.updateTable('people').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function listPeople(db: Executor, actor: Actor, f: { afterId?: number; limit: number; orgId?: number; active?: boolean; q?: string }) {
  let q = scoped(db.selectFrom('people').selectAll(), 'people.org_id', actor);
  if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
  if (f.orgId !== undefined) q = q.where('org_id', '=', f.orgId);
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
  if (f.q) {
    const like = `%${f.q.toLowerCase()}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', like), eb('email', 'like', like), eb('phone', 'like', `%${f.q}%`)]));
  }
  return q.orderBy('id').limit(f.limit + 1).execute();
}

/** Names of people by id, in one query (for lists that show callers). */
export async function namesOfPeople(db: Executor, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('people').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** An active contact of this organization with this e-mail (case-insensitive), the oldest first. */
export function findPersonByEmail(db: Executor, orgId: number, email: string) {
  return db
    .selectFrom('people')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('active', '=', 1)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .orderBy('id')
    .executeTakeFirst();
}

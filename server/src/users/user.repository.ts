import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor, UserTable } from '../db/database.ts';
import { type Actor, scopeOf } from '../tenancy/scope.ts';

export type UserRow = Selectable<UserTable>;

export function toUser(row: UserRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Actor['role'],
    orgId: row.org_id,
    orgScope: JSON.parse(row.org_scope) as number[],
    personId: row.person_id,
    portalScope: row.portal_scope as Actor['portalScope'],
    locale: row.locale as 'fr' | 'en' | null,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toActor(row: UserRow): Actor {
  return {
    userId: row.id,
    role: row.role as Actor['role'],
    name: row.name,
    orgId: row.org_id,
    personId: row.person_id,
    orgScope: JSON.parse(row.org_scope) as number[],
    portalScope: row.portal_scope as Actor['portalScope'],
    locale: row.locale,
  };
}

export function findUserById(db: Executor, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findUsersByIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}

export function countUsers(db: Executor) {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

/**
 * Users the actor may see: staff accounts, and requesters of the organizations in the actor's scope.
 * Requesters see only themselves.
 */
export function findVisibleUser(db: Executor, actor: Actor, id: number) {
  return visibleUsers(db, actor).where('id', '=', id).executeTakeFirst();
}

export function listUsers(db: Executor, actor: Actor, f: { afterId?: number; limit: number; role?: string; orgId?: number; active?: boolean; q?: string }) {
  let q = visibleUsers(db, actor);
  if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
  if (f.role !== undefined) q = q.where('role', '=', f.role);
  if (f.orgId !== undefined) q = q.where('org_id', '=', f.orgId);
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
  if (f.q) {
    const like = `%${f.q.toLowerCase()}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', like), eb('email', 'like', like)]));
  }
  return q.orderBy('id').limit(f.limit + 1).execute();
}

export function insertUser(db: Executor, values: Insertable<UserTable>) {
  return db.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateUser(db: Executor, id: number, values: Updateable<UserTable>) {
  return db.updateTable('users').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

function visibleUsers(db: Executor, actor: Actor) {
  const q = db.selectFrom('users').selectAll();
  if (actor.role === 'requester') return q.where('id', '=', actor.userId);
  const scope = scopeOf(actor);
  if (scope.all) return q;
  return q.where((eb) => eb.or([eb('role', '!=', 'requester'), ...(scope.orgIds.length ? [eb('org_id', 'in', scope.orgIds)] : [])]));
}

import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor, OrganizationTable } from '../db/database.ts';
import { type Actor, scoped } from '../tenancy/scope.ts';

export type OrganizationRow = Selectable<OrganizationTable>;

export function toOrganization(row: OrganizationRow) {
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    locale: row.locale as 'fr' | 'en',
    timezone: row.timezone,
    maturityLevel: row.maturity_level,
    priorityMatrix: row.priority_matrix ? (JSON.parse(row.priority_matrix) as number[][]) : null,
    autoCloseDays: row.auto_close_days,
    slaEnabled: row.sla_enabled === null ? null : row.sla_enabled === 1,
    isProvider: row.is_provider === 1,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** An organization the actor may see, or undefined. */
export function findOrganization(db: Executor, actor: Actor, id: number) {
  return scoped(db.selectFrom('organizations').selectAll(), 'organizations.id', actor).where('id', '=', id).executeTakeFirst();
}

/** Unscoped read, for rules that need an organization the caller already proved access to. */
export function getOrganization(db: Executor, id: number) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrganizationByCode(db: Executor, code: string) {
  return db.selectFrom('organizations').selectAll().where('code', '=', code).executeTakeFirst();
}

export function findProvider(db: Executor) {
  return db.selectFrom('organizations').selectAll().where('is_provider', '=', 1).orderBy('id').executeTakeFirst();
}

export function listOrganizations(db: Executor, actor: Actor, f: { afterId?: number; limit: number; active?: boolean; q?: string }) {
  let q = scoped(db.selectFrom('organizations').selectAll(), 'organizations.id', actor);
  if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
  if (f.q) {
    // lower() on both sides: LIKE is case-sensitive on PostgreSQL, not on SQLite.
    const like = `%${f.q.toLowerCase()}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', like), eb(eb.fn('lower', ['code']), 'like', like)]));
  }
  return q.orderBy('id').limit(f.limit + 1).execute();
}

export function insertOrganization(db: Executor, values: Insertable<OrganizationTable>) {
  return db.insertInto('organizations').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateOrganization(db: Executor, id: number, values: Updateable<OrganizationTable>) {
  return db.updateTable('organizations').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function listAutoClosingOrganizations(db: Executor) {
  return db.selectFrom('organizations').select(['id', 'auto_close_days']).where('active', '=', 1).where('auto_close_days', '>', 0).execute();
}

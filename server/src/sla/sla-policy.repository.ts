import type { Insertable, Selectable, Updateable } from 'kysely';
import type { PendingReason } from '../../../contract/incidents.ts';
import type { Executor, SlaPolicyTable } from '../db/database.ts';
import { type Actor, scopeOf } from '../tenancy/scope.ts';
import type { PolicyRules } from './sla-rules.ts';

export type SlaPolicyRow = Selectable<SlaPolicyTable>;

/** Policies the actor may see: the shared ones (no organization) and those of organizations in scope. */
function visiblePolicies(db: Executor, actor: Actor) {
  const q = db.selectFrom('sla_policies').selectAll();
  const scope = scopeOf(actor);
  if (scope.all) return q;
  return q.where((eb) => eb.or([eb('org_id', 'is', null), ...(scope.orgIds.length ? [eb('org_id', 'in', scope.orgIds)] : [])]));
}

export function findSlaPolicy(db: Executor, actor: Actor, id: number) {
  return visiblePolicies(db, actor).where('id', '=', id).executeTakeFirst();
}

export function listSlaPolicies(db: Executor, actor: Actor, f: { afterId?: number; limit: number; active?: boolean; orgId?: number }) {
  let q = visiblePolicies(db, actor);
  if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
  if (f.orgId !== undefined) q = q.where('org_id', '=', f.orgId);
  return q.orderBy('id').limit(f.limit + 1).execute();
}

/** Active policies that could apply to an incident of this organization (the rules pick the most specific). */
export function candidatePolicies(db: Executor, orgId: number) {
  return db
    .selectFrom('sla_policies')
    .selectAll()
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('org_id', 'is', null), eb('org_id', '=', orgId)]))
    .orderBy('id')
    .execute();
}

export function getSlaPolicy(db: Executor, id: number) {
  return db.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertSlaPolicy(db: Executor, values: Insertable<SlaPolicyTable>) {
  return db.insertInto('sla_policies').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateSlaPolicy(db: Executor, id: number, values: Updateable<SlaPolicyTable>) {
  return db.updateTable('sla_policies').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function toSlaPolicy(row: SlaPolicyRow) {
  return {
    id: row.id,
    name: row.name,
    orgId: row.org_id,
    serviceId: row.service_id,
    calendarId: row.calendar_id,
    targets: JSON.parse(row.targets) as PolicyRules['targets'],
    pauseWhen: JSON.parse(row.pause_when) as PendingReason[],
    warnAtPercent: row.warn_at_percent,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

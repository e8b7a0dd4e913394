import { type SelectQueryBuilder, sql } from 'kysely';
import type { Role } from '../../../contract/auth.ts';
import { AppError } from '../http/errors.ts';

/**
 * Tenant segregation lives here, and only here: every query of tenant-owned data is narrowed by
 * `scoped()` (organization level) or `visibleIncidents()` (requester level). A record outside the
 * actor's scope is reported as not found (404), never as forbidden.
 */
export interface Actor {
  userId: number;
  role: Role;
  name: string;
  /** A requester's organization (the provider's for staff, when set). */
  orgId: number | null;
  personId: number | null;
  /** Organizations an agent serves; empty means all. */
  orgScope: number[];
  portalScope: 'own' | 'organization';
  locale: string | null;
}

export type Scope = { all: true } | { all: false; orgIds: number[] };

export function scopeOf(actor: Actor): Scope {
  if (actor.role === 'requester') return { all: false, orgIds: actor.orgId ? [actor.orgId] : [] };
  if (actor.role === 'admin' || actor.orgScope.length === 0) return { all: true };
  return { all: false, orgIds: actor.orgScope };
}

export function inScope(actor: Actor, orgId: number): boolean {
  const scope = scopeOf(actor);
  return scope.all || scope.orgIds.includes(orgId);
}

/** Throws 404 unless the organization is in the actor's scope. */
export function assertInScope(actor: Actor, orgId: number, what: string): void {
  if (!inScope(actor, orgId)) throw AppError.notFound(what);
}

/** Narrows a query to the organizations the actor may see, on the given `org_id` column. */
export function scoped<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, column: string, actor: Actor): QB {
  const scope = scopeOf(actor);
  if (scope.all) return qb;
  if (scope.orgIds.length === 0) return qb.where(sql<boolean>`1 = 0`) as QB;
  return qb.where(sql.ref(column), 'in', scope.orgIds) as QB;
}

/**
 * Narrows an incidents query to what the actor may see: the organization scope and, for requesters
 * whose portal scope is `own`, only incidents they reported or are the caller of.
 */
export function visibleIncidents<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, actor: Actor): QB {
  const byOrg = scoped(qb, 'incidents.org_id', actor);
  if (actor.role !== 'requester' || actor.portalScope === 'organization') return byOrg;
  return byOrg.where((eb: any) =>
    eb.or([
      eb('incidents.created_by', '=', actor.userId),
      ...(actor.personId ? [eb('incidents.caller_id', '=', actor.personId)] : []),
    ]),
  ) as QB;
}

export function isStaff(actor: Actor): boolean {
  return actor.role !== 'requester';
}

/** 403 for a role that may never do this (the record's existence is not revealed by it). */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) throw AppError.forbidden();
}

/**
 * 403 unless the actor may change what applies to every organization (shared SLA policies, calendars, teams,
 * the service catalog, a recompute of everything): admins, and managers whose scope is all organizations.
 * A scoped manager can read these objects, so refusing them reveals nothing.
 */
export function requireProviderWide(actor: Actor, what: string): void {
  requireRole(actor, ...MANAGERS);
  if (!scopeOf(actor).all) {
    throw new AppError('scope.provider_wide', 403, `${what} is shared by every organization: only an admin or a manager of all organizations may change it.`);
  }
}

export const STAFF: Role[] = ['agent', 'manager', 'admin'];
export const MANAGERS: Role[] = ['manager', 'admin'];

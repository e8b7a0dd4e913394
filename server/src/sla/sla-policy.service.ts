import type { z } from 'zod';
import type { CreateSlaPolicyBody, SlaPolicyListQuery, UpdateSlaPolicyBody } from '../../../contract/sla.ts';
import type { Ctx } from '../context.ts';
import type { Trx } from '../db/database.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError, type FieldError } from '../http/errors.ts';
import { decodeCursor, toPage } from '../lib/cursor.ts';
import { diff } from '../lib/diff.ts';
import { getOrganization } from '../organizations/organization.repository.ts';
import { getService } from '../services/service.repository.ts';
import { type Actor, assertInScope, MANAGERS, requireProviderWide, requireRole, STAFF } from '../tenancy/scope.ts';
import { calendarIsActive } from './business-clock.ts';
import * as repo from './sla-policy.repository.ts';

type CreateSlaPolicy = z.infer<typeof CreateSlaPolicyBody>;

/** Managers set SLA policies; the most specific one applies to each incident (see sla-rules.ts). */
export async function createSlaPolicy(ctx: Ctx, actor: Actor, input: CreateSlaPolicy) {
  requireRole(actor, ...MANAGERS);
  assertMayApplyTo(actor, input.orgId ?? null);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const errors = await checkReferences(trx, input);
    if (errors.length > 0) throw AppError.validation(errors);
    const row = await repo.insertSlaPolicy(trx, {
      name: input.name,
      org_id: input.orgId ?? null,
      service_id: input.serviceId ?? null,
      calendar_id: input.calendarId,
      targets: JSON.stringify([...input.targets].sort((a, b) => a.priority - b.priority)),
      pause_when: JSON.stringify(input.pauseWhen),
      warn_at_percent: input.warnAtPercent,
      active: 1,
      created_at: now,
      updated_at: now,
    });
    const policy = repo.toSlaPolicy(row);
    await appendEvent(trx, { type: 'sla_policy.created', orgId: policy.orgId, aggregateType: 'sla_policy', aggregateId: policy.id, actorId: actor.userId, payload: policy }, now);
    return policy;
  });
}

/** Changes apply to incidents as they next change (new deadlines are computed from `reportedAt`). */
export async function updateSlaPolicy(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof UpdateSlaPolicyBody>) {
  // Requesters are refused before the lookup: a 403 that depended on the policy would reveal it exists.
  requireRole(actor, ...STAFF);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findSlaPolicy(trx, actor, id);
    if (!before) throw AppError.notFound('SLA policy');
    requireRole(actor, ...MANAGERS);
    // In the actor's scope before the change and after it: a scoped manager can neither take over a shared
    // policy nor turn theirs into one.
    assertMayApplyTo(actor, before.org_id);
    if (input.orgId !== undefined) assertMayApplyTo(actor, input.orgId);
    const errors = await checkReferences(trx, input);
    if (errors.length > 0) throw AppError.validation(errors);
    const row = await repo.updateSlaPolicy(trx, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.orgId !== undefined && { org_id: input.orgId }),
      ...(input.serviceId !== undefined && { service_id: input.serviceId }),
      ...(input.calendarId !== undefined && { calendar_id: input.calendarId }),
      ...(input.targets !== undefined && { targets: JSON.stringify([...input.targets].sort((a, b) => a.priority - b.priority)) }),
      ...(input.pauseWhen !== undefined && { pause_when: JSON.stringify(input.pauseWhen) }),
      ...(input.warnAtPercent !== undefined && { warn_at_percent: input.warnAtPercent }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
      updated_at: now,
    });
    const policy = repo.toSlaPolicy(row);
    const changes = diff(repo.toSlaPolicy(before), policy);
    if (changes.length > 0) {
      await appendEvent(trx, { type: 'sla_policy.updated', orgId: policy.orgId, aggregateType: 'sla_policy', aggregateId: id, actorId: actor.userId, payload: { changes } }, now);
    }
    return policy;
  });
}

export async function getSlaPolicy(ctx: Ctx, actor: Actor, id: number) {
  requireRole(actor, ...STAFF);
  const row = await repo.findSlaPolicy(ctx.db, actor, id);
  if (!row) throw AppError.notFound('SLA policy');
  return repo.toSlaPolicy(row);
}

export async function listSlaPolicies(ctx: Ctx, actor: Actor, query: z.infer<typeof SlaPolicyListQuery>) {
  requireRole(actor, ...STAFF);
  const afterId = query.cursor ? Number(decodeCursor(query.cursor)[1]) : undefined;
  const rows = await repo.listSlaPolicies(ctx.db, actor, { afterId, limit: query.limit, active: query.active, orgId: query.orgId });
  return toPage(rows, query.limit, repo.toSlaPolicy, (r) => [r.id, r.id]);
}

/** A policy of one organization needs that organization in scope (404 otherwise); a shared one, every organization. */
function assertMayApplyTo(actor: Actor, orgId: number | null) {
  if (orgId === null) requireProviderWide(actor, 'An SLA policy without an organization');
  else assertInScope(actor, orgId, 'Organization');
}

async function checkReferences(trx: Trx, input: Partial<CreateSlaPolicy>): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (input.calendarId !== undefined && !(await calendarIsActive(trx, input.calendarId))) errors.push({ path: 'calendarId', message: 'Unknown or deactivated calendar' });
  if (input.orgId && !(await getOrganization(trx, input.orgId))) errors.push({ path: 'orgId', message: 'Unknown organization' });
  if (input.serviceId && !(await getService(trx, input.serviceId))) errors.push({ path: 'serviceId', message: 'Unknown service' });
  return errors;
}

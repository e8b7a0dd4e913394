import type { z } from 'zod';
import type { CreateOrganizationBody, OrganizationListQuery, UpdateOrganizationBody } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import type { InTransactionEvents } from '../events/event-bus.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { decodeCursor, toPage } from '../lib/cursor.ts';
import { diff } from '../lib/diff.ts';
import { type Actor, requireRole } from '../tenancy/scope.ts';
import * as repo from './organization.repository.ts';

export async function createOrganization(ctx: Ctx, actor: Actor, input: z.infer<typeof CreateOrganizationBody>) {
  requireRole(actor, 'admin');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    if (await repo.findOrganizationByCode(trx, input.code)) throw duplicateCode(input.code);
    const row = await repo.insertOrganization(trx, {
      name: input.name,
      code: input.code,
      locale: input.locale,
      timezone: input.timezone,
      maturity_level: input.maturityLevel,
      priority_matrix: input.priorityMatrix ? JSON.stringify(input.priorityMatrix) : null,
      auto_close_days: input.autoCloseDays,
      sla_enabled: input.slaEnabled == null ? null : input.slaEnabled ? 1 : 0,
      is_provider: 0,
      active: 1,
      created_at: now,
      updated_at: now,
    });
    const org = repo.toOrganization(row);
    await appendEvent(trx, { type: 'organization.created', orgId: org.id, aggregateType: 'organization', aggregateId: org.id, actorId: actor.userId, payload: org }, now);
    return org;
  });
}

/**
 * Edits an organization (admin). Its `organization.updated` event carries the changes; modules whose state
 * follows an organization's (the SLA of its open incidents, when SLAs are turned on or off) update it in this
 * transaction through their subscription.
 */
export async function updateOrganization(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof UpdateOrganizationBody>) {
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findOrganization(trx, actor, id);
    if (!before) throw AppError.notFound('Organization');
    requireRole(actor, 'admin');
    if (input.code && input.code !== before.code && (await repo.findOrganizationByCode(trx, input.code))) throw duplicateCode(input.code);
    if (input.active === false && before.is_provider === 1) {
      throw AppError.conflict('organization.provider_required', 'The service provider organization cannot be deactivated.');
    }
    const row = await repo.updateOrganization(trx, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.code !== undefined && { code: input.code }),
      ...(input.locale !== undefined && { locale: input.locale }),
      ...(input.timezone !== undefined && { timezone: input.timezone }),
      ...(input.maturityLevel !== undefined && { maturity_level: input.maturityLevel }),
      ...(input.priorityMatrix !== undefined && { priority_matrix: input.priorityMatrix ? JSON.stringify(input.priorityMatrix) : null }),
      ...(input.autoCloseDays !== undefined && { auto_close_days: input.autoCloseDays }),
      ...(input.slaEnabled !== undefined && { sla_enabled: input.slaEnabled === null ? null : input.slaEnabled ? 1 : 0 }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
      updated_at: now,
    });
    const org = repo.toOrganization(row);
    const changes = diff(repo.toOrganization(before), org);
    if (changes.length > 0) {
      const payload: InTransactionEvents['organization.updated'] = { changes };
      await appendEvent(trx, { type: 'organization.updated', orgId: id, aggregateType: 'organization', aggregateId: id, actorId: actor.userId, payload }, now);
    }
    return org;
  });
}

export async function getOrganization(ctx: Ctx, actor: Actor, id: number) {
  const row = await repo.findOrganization(ctx.db, actor, id);
  if (!row) throw AppError.notFound('Organization');
  return repo.toOrganization(row);
}

export async function listOrganizations(ctx: Ctx, actor: Actor, query: z.infer<typeof OrganizationListQuery>) {
  const afterId = query.cursor ? Number(decodeCursor(query.cursor)[1]) : undefined;
  const rows = await repo.listOrganizations(ctx.db, actor, { afterId, limit: query.limit, active: query.active, q: query.q });
  return toPage(rows, query.limit, repo.toOrganization, (r) => [r.id, r.id]);
}

function duplicateCode(code: string) {
  return new AppError('organization.duplicate_code', 409, `An organization with code ${code} already exists.`, [{ path: 'code', message: 'Already used' }]);
}

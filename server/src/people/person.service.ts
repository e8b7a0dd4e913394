import type { z } from 'zod';
import type { CreatePersonBody, PersonListQuery, UpdatePersonBody } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { decodeCursor, toPage } from '../lib/cursor.ts';
import { diff } from '../lib/diff.ts';
import { getOrganization } from '../organizations/organization.repository.ts';
import { type Actor, assertInScope, requireRole, STAFF } from '../tenancy/scope.ts';
import * as repo from './person.repository.ts';

/** Staff add contacts of the organizations they serve (e.g. a caller met on the phone). */
export async function createPerson(ctx: Ctx, actor: Actor, input: z.infer<typeof CreatePersonBody>) {
  requireRole(actor, ...STAFF);
  assertInScope(actor, input.orgId, 'Organization');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const org = await getOrganization(trx, input.orgId);
    if (!org) throw AppError.notFound('Organization');
    if (org.active !== 1) throw AppError.validation([{ path: 'orgId', message: 'This organization is deactivated' }]);
    const row = await repo.insertPerson(trx, {
      org_id: input.orgId,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      locale: input.locale ?? null,
      active: 1,
      created_at: now,
      updated_at: now,
    });
    const person = repo.toPerson(row);
    await appendEvent(trx, { type: 'person.created', orgId: row.org_id, aggregateType: 'person', aggregateId: row.id, actorId: actor.userId, payload: person }, now);
    return person;
  });
}

export async function updatePerson(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof UpdatePersonBody>) {
  // Before the lookup: requesters are refused alike whether the person exists, is in their organization or not.
  requireRole(actor, ...STAFF);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.findPerson(trx, actor, id);
    if (!before) throw AppError.notFound('Person');
    const row = await repo.updatePerson(trx, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.email !== undefined && { email: input.email }),
      ...(input.phone !== undefined && { phone: input.phone }),
      ...(input.locale !== undefined && { locale: input.locale }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
      updated_at: now,
    });
    const person = repo.toPerson(row);
    const changes = diff(repo.toPerson(before), person);
    if (changes.length > 0) {
      await appendEvent(trx, { type: 'person.updated', orgId: row.org_id, aggregateType: 'person', aggregateId: id, actorId: actor.userId, payload: { changes } }, now);
    }
    return person;
  });
}

export async function getPerson(ctx: Ctx, actor: Actor, id: number) {
  const row = await repo.findPerson(ctx.db, actor, id);
  if (!row) throw AppError.notFound('Person');
  // Requesters may see themselves; the rest of the directory is for staff.
  if (actor.role === 'requester' && row.id !== actor.personId) throw AppError.notFound('Person');
  return repo.toPerson(row);
}

export async function listPeople(ctx: Ctx, actor: Actor, query: z.infer<typeof PersonListQuery>) {
  requireRole(actor, ...STAFF);
  const afterId = query.cursor ? Number(decodeCursor(query.cursor)[1]) : undefined;
  const rows = await repo.listPeople(ctx.db, actor, { afterId, limit: query.limit, orgId: query.orgId, active: query.active, q: query.q });
  return toPage(rows, query.limit, repo.toPerson, (r) => [r.id, r.id]);
}

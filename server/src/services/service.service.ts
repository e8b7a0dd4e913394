import type { z } from 'zod';
import type { CreateServiceBody, ServiceListQuery, UpdateServiceBody } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { decodeCursor, toPage } from '../lib/cursor.ts';
import { diff } from '../lib/diff.ts';
import { type Actor, requireProviderWide } from '../tenancy/scope.ts';
import * as repo from './service.repository.ts';

/** The service catalog is the provider's, offered to every organization: admins and managers of all organizations edit it, everyone signed in reads it. */
export async function createService(ctx: Ctx, actor: Actor, input: z.infer<typeof CreateServiceBody>) {
  requireProviderWide(actor, 'The service catalog');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.insertService(trx, { name: input.name, description: input.description ?? null, active: 1, created_at: now, updated_at: now });
    const service = repo.toService(row);
    await appendEvent(trx, { type: 'service.created', orgId: null, aggregateType: 'service', aggregateId: row.id, actorId: actor.userId, payload: service }, now);
    return service;
  });
}

export async function updateService(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof UpdateServiceBody>) {
  // Before the lookup: whoever may not edit the catalog is refused alike whether the service exists or not.
  requireProviderWide(actor, 'The service catalog');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.getService(trx, id);
    if (!before) throw AppError.notFound('Service');
    const row = await repo.updateService(trx, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
      updated_at: now,
    });
    const service = repo.toService(row);
    const changes = diff(repo.toService(before), service);
    if (changes.length > 0) {
      await appendEvent(trx, { type: 'service.updated', orgId: null, aggregateType: 'service', aggregateId: id, actorId: actor.userId, payload: { changes } }, now);
    }
    return service;
  });
}

export async function getService(ctx: Ctx, id: number) {
  const row = await repo.getService(ctx.db, id);
  if (!row) throw AppError.notFound('Service');
  return repo.toService(row);
}

export async function listServices(ctx: Ctx, query: z.infer<typeof ServiceListQuery>) {
  const afterId = query.cursor ? Number(decodeCursor(query.cursor)[1]) : undefined;
  const rows = await repo.listServices(ctx.db, { afterId, limit: query.limit, active: query.active });
  return toPage(rows, query.limit, repo.toService, (r) => [r.id, r.id]);
}

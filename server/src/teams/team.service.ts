import type { z } from 'zod';
import type { CreateTeamBody, TeamListQuery, UpdateTeamBody } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import type { Trx } from '../db/database.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { decodeCursor, toPage } from '../lib/cursor.ts';
import { diff } from '../lib/diff.ts';
import { type Actor, requireProviderWide, requireRole, STAFF } from '../tenancy/scope.ts';
import { findUsersByIds } from '../users/user.repository.ts';
import * as repo from './team.repository.ts';

/** Teams belong to the service provider and serve every organization: admins and managers of all organizations shape them, agents read them. */
export async function createTeam(ctx: Ctx, actor: Actor, input: z.infer<typeof CreateTeamBody>) {
  requireProviderWide(actor, 'A team');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    await checkMembers(trx, input.memberIds);
    const row = await repo.insertTeam(trx, { name: input.name, description: input.description ?? null, active: 1, created_at: now, updated_at: now });
    await repo.setTeamMembers(trx, row.id, unique(input.memberIds));
    const team = repo.toTeam(row, unique(input.memberIds).sort((a, b) => a - b));
    await appendEvent(trx, { type: 'team.created', orgId: null, aggregateType: 'team', aggregateId: row.id, actorId: actor.userId, payload: team }, now);
    return team;
  });
}

export async function updateTeam(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof UpdateTeamBody>) {
  // Before the lookup: whoever may not change teams is refused alike whether the team exists or not.
  requireProviderWide(actor, 'A team');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.getTeam(trx, id);
    if (!before) throw AppError.notFound('Team');
    const beforeMembers = (await repo.memberIdsOf(trx, [id])).get(id) ?? [];
    if (input.memberIds) {
      await checkMembers(trx, input.memberIds);
      await repo.setTeamMembers(trx, id, unique(input.memberIds));
    }
    const row = await repo.updateTeam(trx, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
      updated_at: now,
    });
    const team = repo.toTeam(row, input.memberIds ? unique(input.memberIds).sort((a, b) => a - b) : beforeMembers);
    const changes = diff(repo.toTeam(before, beforeMembers), team);
    if (changes.length > 0) {
      await appendEvent(trx, { type: 'team.updated', orgId: null, aggregateType: 'team', aggregateId: id, actorId: actor.userId, payload: { changes } }, now);
    }
    return team;
  });
}

export async function getTeam(ctx: Ctx, actor: Actor, id: number) {
  requireRole(actor, ...STAFF);
  const row = await repo.getTeam(ctx.db, id);
  if (!row) throw AppError.notFound('Team');
  return repo.toTeam(row, (await repo.memberIdsOf(ctx.db, [id])).get(id) ?? []);
}

export async function listTeams(ctx: Ctx, actor: Actor, query: z.infer<typeof TeamListQuery>) {
  requireRole(actor, ...STAFF);
  const afterId = query.cursor ? Number(decodeCursor(query.cursor)[1]) : undefined;
  const rows = await repo.listTeams(ctx.db, { afterId, limit: query.limit, active: query.active });
  const members = await repo.memberIdsOf(ctx.db, rows.map((r) => r.id));
  return toPage(rows, query.limit, (r) => repo.toTeam(r, members.get(r.id) ?? []), (r) => [r.id, r.id]);
}

async function checkMembers(trx: Trx, ids: number[]) {
  const users = await findUsersByIds(trx, unique(ids));
  const valid = new Set(users.filter((u) => u.active === 1 && STAFF.includes(u.role as Actor['role'])).map((u) => u.id));
  const errors = ids.flatMap((id, i) => (valid.has(id) ? [] : [{ path: `memberIds.${i}`, message: 'Unknown or deactivated agent' }]));
  if (errors.length > 0) throw AppError.validation(errors);
}

function unique(ids: number[]) {
  return [...new Set(ids)];
}

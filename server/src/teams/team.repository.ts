import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor, TeamTable } from '../db/database.ts';

export function getTeam(db: Executor, id: number) {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export function isTeamMember(db: Executor, teamId: number, userId: number) {
  return db
    .selectFrom('team_members')
    .select('user_id')
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
    .then((r) => r !== undefined);
}

export function listTeams(db: Executor, f: { afterId?: number; limit: number; active?: boolean; memberId?: number }) {
  let q = db.selectFrom('teams').selectAll();
  if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
  if (f.memberId !== undefined) q = q.where('id', 'in', db.selectFrom('team_members').select('team_id').where('user_id', '=', f.memberId));
  return q.orderBy('id').limit(f.limit + 1).execute();
}

/** Member ids of each team, in one query. */
export async function memberIdsOf(db: Executor, teamIds: number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>();
  if (teamIds.length === 0) return map;
  const rows = await db.selectFrom('team_members').selectAll().where('team_id', 'in', teamIds).orderBy('user_id').execute();
  for (const r of rows) map.set(r.team_id, [...(map.get(r.team_id) ?? []), r.user_id]);
  return map;
}

export function insertTeam(db: Executor, values: Insertable<TeamTable>) {
  return db.insertInto('teams').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateTeam(db: Executor, id: number, values: Updateable<TeamTable>) {
  return db.updateTable('teams').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function setTeamMembers(db: Executor, teamId: number, userIds: number[]) {
  await db.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  if (userIds.length > 0) await db.insertInto('team_members').values(userIds.map((user_id) => ({ team_id: teamId, user_id }))).execute();
}

export function toTeam(row: Selectable<TeamTable>, memberIds: number[]) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    memberIds,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function teamIdsOf(db: Executor, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('team_members').select('team_id').where('user_id', '=', userId).orderBy('team_id').execute();
  return rows.map((r) => r.team_id);
}

import type { Executor } from '../db/database.ts';

const activeUser = 'users.active' as const;

export function findUserBySession(db: Executor, sessionHash: string, now: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.id', '=', sessionHash)
    .where('sessions.expires_at', '>', now)
    .where(activeUser, '=', 1)
    .executeTakeFirst();
}

export function findUserByApiToken(db: Executor, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where(activeUser, '=', 1)
    .executeTakeFirst();
}

export async function insertSession(db: Executor, s: { id: string; userId: number; createdAt: string; expiresAt: string }) {
  await db.insertInto('sessions').values({ id: s.id, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt }).execute();
}

export async function deleteSession(db: Executor, id: string) {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteExpiredSessions(db: Executor, now: string) {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

export async function countFailedLogins(db: Executor, since: string, by: { email?: string; ip?: string }) {
  let q = db.selectFrom('login_attempts').select((eb) => eb.fn.countAll<number>().as('n')).where('at', '>', since);
  if (by.email !== undefined) q = q.where('email', '=', by.email);
  if (by.ip !== undefined) q = q.where('ip', '=', by.ip);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function recordFailedLogin(db: Executor, email: string, ip: string, at: string) {
  await db.insertInto('login_attempts').values({ email, ip, at }).execute();
}

export async function clearFailedLogins(db: Executor, email: string, before: string) {
  await db.deleteFrom('login_attempts').where((eb) => eb.or([eb('email', '=', email), eb('at', '<', before)])).execute();
}

export async function insertApiToken(db: Executor, t: { userId: number; name: string; hash: string; at: string }) {
  return db
    .insertInto('api_tokens')
    .values({ user_id: t.userId, name: t.name, token_hash: t.hash, created_at: t.at, last_used_at: null, revoked_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listApiTokens(db: Executor, userId: number) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
}

export async function revokeApiToken(db: Executor, userId: number, id: number, at: string) {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

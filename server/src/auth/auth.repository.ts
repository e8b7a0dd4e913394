import type { Insertable } from 'kysely';
import type { Executor, SessionTable } from '../db/database.ts';

const activeUser = 'users.active' as const;

export function findUserBySession(db: Executor, sessionHash: string, now: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.last_seen_at as session_last_seen_at', 'sessions.ip as session_ip'])
    .where('sessions.id', '=', sessionHash)
    .where('sessions.expires_at', '>', now)
    .where(activeUser, '=', 1)
    .executeTakeFirst();
}

export function findUserByApiToken(db: Executor, tokenHash: string, now: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.read_only as token_read_only', 'api_tokens.expires_at as token_expires_at', 'api_tokens.last_used_at as token_last_used_at'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .where(activeUser, '=', 1)
    .executeTakeFirst();
}

export async function insertSession(db: Executor, s: Insertable<SessionTable>) {
  await db.insertInto('sessions').values(s).execute();
}

export async function deleteSession(db: Executor, id: string) {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Records that a session was used, unless another request already did since `staleBefore` (one write a minute). */
export async function touchSession(db: Executor, id: string, at: string, staleBefore: string, ip: string | null) {
  await db.updateTable('sessions').set({ last_seen_at: at, ip }).where('id', '=', id).where('last_seen_at', '<', staleBefore).execute();
}

export function listSessions(db: Executor, userId: number, now: string) {
  return db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where('expires_at', '>', now).orderBy('last_seen_at', 'desc').orderBy('public_id').execute();
}

/** Ends one session of the user by its public id; false when the user has no such session. */
export async function deleteSessionByPublicId(db: Executor, userId: number, publicId: string) {
  const r = await db.deleteFrom('sessions').where('user_id', '=', userId).where('public_id', '=', publicId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Ends every session of a user but `keep` (the hash of the current one); answers how many ended. */
export async function deleteSessionsOfUser(db: Executor, userId: number, keep?: string) {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep !== undefined) q = q.where('id', '!=', keep);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Ends the sessions opened with a password alone by staff (every role but requester) who have no two-factor
 * sign-in on, all but `keep`; answers how many ended.
 */
export async function deletePasswordOnlySessionsOfStaff(db: Executor, keep: string | undefined) {
  let q = db
    .deleteFrom('sessions')
    .where('method', '=', 'password')
    .where('user_id', 'in', (eb) =>
      eb
        .selectFrom('users')
        .select('users.id')
        .where('users.role', '!=', 'requester')
        .where('users.id', 'not in', eb.selectFrom('user_totp').select('user_totp.user_id').where('user_totp.enabled_at', 'is not', null)),
    );
  if (keep !== undefined) q = q.where('id', '!=', keep);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteExpiredSessions(db: Executor, now: string) {
  const r = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function countFailedLogins(db: Executor, since: string, by: { email?: string; ip?: string }) {
  let q = db.selectFrom('login_attempts').select((eb) => eb.fn.countAll<number>().as('n')).where('at', '>', since);
  if (by.email !== undefined) q = q.where('email', '=', by.email);
  if (by.ip !== undefined) q = q.where('ip', '=', by.ip);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records a password attempt as failed until proven otherwise; answers its id. */
export async function recordLoginAttempt(db: Executor, email: string, ip: string, at: string) {
  const row = await db.insertInto('login_attempts').values({ email, ip, at }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Forgets one attempt (one refused before its password was checked). */
export async function deleteLoginAttempt(db: Executor, id: number) {
  await db.deleteFrom('login_attempts').where('id', '=', id).execute();
}

export async function clearFailedLogins(db: Executor, email: string, before: string) {
  await db.deleteFrom('login_attempts').where((eb) => eb.or([eb('email', '=', email), eb('at', '<', before)])).execute();
}

export async function insertApiToken(db: Executor, t: { userId: number; name: string; hash: string; at: string; readOnly?: boolean; expiresAt?: string | null }) {
  return db
    .insertInto('api_tokens')
    .values({ user_id: t.userId, name: t.name, token_hash: t.hash, created_at: t.at, last_used_at: null, revoked_at: null, read_only: t.readOnly ? 1 : 0, expires_at: t.expiresAt ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Records that a token was used, at most once a minute (`staleBefore`). */
export async function touchApiToken(db: Executor, id: number, at: string, staleBefore: string) {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}

/** Tokens that still work: neither revoked nor expired. */
export function listApiTokens(db: Executor, userId: number, now: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('id')
    .execute();
}

/** Revokes one token of the user; answers it, or undefined when the user has no such active token. */
export function revokeApiToken(db: Executor, userId: number, id: number, at: string) {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'name'])
    .executeTakeFirst();
}

import type { Executor, Trx } from '../db/database.ts';

export function findTotp(db: Executor, userId: number) {
  return db.selectFrom('user_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/**
 * A new seed awaiting its first code; replaces an earlier enrolment that was never confirmed (one statement, so
 * that two set-ups started at once both succeed: the last one wins). False when two-factor sign-in is already on.
 */
export async function putPendingTotp(db: Executor, userId: number, sealedSecret: string, at: string) {
  const r = await db
    .insertInto('user_totp')
    .values({ user_id: userId, secret: sealedSecret, enabled_at: null, last_step: null, created_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret: sealedSecret, last_step: null, created_at: at }).where('user_totp.enabled_at', 'is', null))
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows) === 1;
}

export async function enableTotp(db: Executor, userId: number, step: number, at: string) {
  const r = await db
    .updateTable('user_totp')
    .set({ enabled_at: at, last_step: step })
    .where('user_id', '=', userId)
    .where('enabled_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Records that the code of `step` was used; false when that step or a later one already was (replay, or
 * the same code sent twice at once: only one of them wins).
 */
export async function useTotpStep(db: Executor, userId: number, step: number) {
  const r = await db
    .updateTable('user_totp')
    .set({ last_step: step })
    .where('user_id', '=', userId)
    .where('enabled_at', 'is not', null)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Removes the seed and the recovery codes; true when two-factor sign-in was on. */
export async function deleteTwoFactor(db: Executor, userId: number) {
  const r = await db.deleteFrom('user_totp').where('user_id', '=', userId).executeTakeFirst();
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  return Number(r.numDeletedRows) > 0;
}

export async function replaceRecoveryCodes(db: Executor, userId: number, hashes: string[], at: string) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null, created_at: at })))
    .execute();
}

/** Spends a recovery code; false when unknown or already spent. */
export async function useRecoveryCode(db: Executor, userId: number, hash: string, at: string) {
  const r = await db
    .updateTable('recovery_codes')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countRecoveryCodesLeft(db: Executor, userId: number) {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertChallenge(db: Executor, c: { id: string; userId: number; purpose: string; createdAt: string; expiresAt: string }) {
  await db.deleteFrom('login_challenges').where('expires_at', '<=', c.createdAt).execute();
  await db.insertInto('login_challenges').values({ id: c.id, user_id: c.userId, purpose: c.purpose, created_at: c.createdAt, expires_at: c.expiresAt }).execute();
}

export function findChallenge(db: Executor, id: string, now: string) {
  return db.selectFrom('login_challenges').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
}

/**
 * Spends a live challenge; false when it expired or another request spent it first. In a transaction, a
 * request sending the same challenge waits until this one ends (PostgreSQL locks the row, SQLite has one writer).
 */
export async function takeChallenge(trx: Trx, id: string, now: string) {
  const r = await trx.deleteFrom('login_challenges').where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function deleteChallengesOf(db: Executor, userId: number) {
  await db.deleteFrom('login_challenges').where('user_id', '=', userId).execute();
}

export async function countFailures(db: Executor, userId: number, since: string) {
  const row = await db
    .selectFrom('two_factor_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records a guess as failed until proven otherwise; answers its id. */
export async function recordFailure(db: Executor, userId: number, at: string) {
  const row = await db.insertInto('two_factor_failures').values({ user_id: userId, at }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteFailure(db: Executor, id: number) {
  await db.deleteFrom('two_factor_failures').where('id', '=', id).execute();
}

export async function clearFailures(db: Executor, userId: number, before: string) {
  await db.deleteFrom('two_factor_failures').where((eb) => eb.or([eb('user_id', '=', userId), eb('at', '<', before)])).execute();
}

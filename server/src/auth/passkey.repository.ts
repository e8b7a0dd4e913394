import type { Executor, Trx } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';

export function listPasskeys(db: Executor, userId: number) {
  return db.selectFrom('user_passkeys').selectAll().where('user_id', '=', userId).orderBy('id').execute();
}

export async function countPasskeys(db: Executor, userId: number) {
  const row = await db
    .selectFrom('user_passkeys')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('first')])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), firstAt: (row.first as string | null) ?? null };
}

/** A passkey of this user (never another user's: the credential id alone finds nothing of theirs). */
export function findPasskeyOf(db: Executor, userId: number, where: { id: number } | { credentialId: string }) {
  let q = db.selectFrom('user_passkeys').selectAll().where('user_id', '=', userId);
  q = 'id' in where ? q.where('id', '=', where.id) : q.where('credential_id', '=', where.credentialId);
  return q.executeTakeFirst();
}

export async function credentialExists(db: Executor, credentialId: string) {
  return Boolean(await db.selectFrom('user_passkeys').select('id').where('credential_id', '=', credentialId).executeTakeFirst());
}

export async function insertPasskey(
  db: Executor,
  p: { userId: number; credentialId: string; publicKey: string; counter: number; transports: string[]; name: string; at: string },
) {
  return db
    .insertInto('user_passkeys')
    .values({ user_id: p.userId, credential_id: p.credentialId, public_key: p.publicKey, counter: p.counter, transports: JSON.stringify(p.transports), name: p.name, created_at: p.at, last_used_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Records a sign-in with a passkey: its new signature counter, only if the counter is still the one checked
 * (two assertions verified at once against the same counter: only one of them wins).
 */
export async function usePasskey(db: Executor, id: number, checkedCounter: number, newCounter: number, at: string) {
  const r = await db.updateTable('user_passkeys').set({ counter: newCounter, last_used_at: at }).where('id', '=', id).where('counter', '=', checkedCounter).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Locks the user's row until the end of the transaction (PostgreSQL; SQLite runs one write transaction at a time), so
 * that changes to the same user's second factors run one after the other and each sees what the previous one left.
 */
export async function lockUser(trx: Trx, userId: number): Promise<void> {
  if (isPostgres(trx)) await trx.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
}

export async function deletePasskey(db: Executor, userId: number, id: number) {
  const r = await db.deleteFrom('user_passkeys').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function deletePasskeysOf(db: Executor, userId: number) {
  await db.deleteFrom('passkey_registrations').where('user_id', '=', userId).execute();
  const r = await db.deleteFrom('user_passkeys').where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The user's pending registration (replacing an earlier one). */
export async function putRegistration(db: Executor, userId: number, challenge: string, expiresAt: string) {
  await db
    .insertInto('passkey_registrations')
    .values({ user_id: userId, challenge, expires_at: expiresAt })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ challenge, expires_at: expiresAt }))
    .execute();
}

/** Spends the user's pending registration: its challenge, or undefined when none is live. */
export async function takeRegistration(trx: Trx, userId: number, now: string) {
  const row = await trx.selectFrom('passkey_registrations').select('challenge').where('user_id', '=', userId).where('expires_at', '>', now).executeTakeFirst();
  const r = await trx.deleteFrom('passkey_registrations').where('user_id', '=', userId).executeTakeFirst();
  return row && Number(r.numDeletedRows) === 1 ? row.challenge : undefined;
}

/** Hands out a WebAuthn challenge for a live sign-in challenge; false when it expired or was spent. */
export async function setSignInWebauthnChallenge(db: Executor, challengeId: string, webauthnChallenge: string, now: string) {
  const r = await db.updateTable('login_challenges').set({ webauthn_challenge: webauthnChallenge }).where('id', '=', challengeId).where('expires_at', '>', now).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

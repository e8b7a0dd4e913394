import QRCode from 'qrcode';
import type { Ctx } from '../context.ts';
import type { Executor, Trx } from '../db/database.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { hashSecret, newSecret, verifyPassword } from '../lib/passwords.ts';
import { securitySettings } from './security-settings.service.ts';
import { type Actor, requireRole } from '../tenancy/scope.ts';
import { findUserById, findVisibleUser, type UserRow } from '../users/user.repository.ts';
import * as passkeyRepo from './passkey.repository.ts';
import * as repo from './two-factor.repository.ts';
import { checkTotp, isTotpCode, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, otpauthUri } from './totp.ts';

const CHALLENGE_MINUTES = { verify: 5, setup: 15 } as const;
const FAILURE_WINDOW_MINUTES = 15;
const MAX_FAILURES = 5;
/** Errors that answer a wrong guess: they count against the limit. */
const WRONG_GUESS = new Set(['auth.invalid_code', 'auth.code_reused', 'two_factor.invalid_proof', 'auth.invalid_passkey']);

export type ChallengePurpose = keyof typeof CHALLENGE_MINUTES;
type Proof = { password?: string; code?: string };

// ----- the sign-in step -----

/**
 * After a correct password: the second step this user owes, or null when a session may open now. A user
 * with TOTP or a passkey gives one of them; staff without either, when the provider requires it, set TOTP up first.
 */
export async function secondFactorDue(ctx: Ctx, user: UserRow): Promise<ChallengePurpose | null> {
  if ((await factorsOf(ctx.db, user.id)).enabled) return 'verify';
  return (await requiredFor(ctx.db, user)) ? 'setup' : null;
}

/** The second factors a user with two-factor sign-in can give now. */
export async function signInMethods(ctx: Ctx, userId: number): Promise<Array<'totp' | 'passkey' | 'recovery'>> {
  const factors = await factorsOf(ctx.db, userId);
  const recovery = (await repo.countRecoveryCodesLeft(ctx.db, userId)) > 0;
  return [...(factors.totp ? (['totp'] as const) : []), ...(factors.passkeys > 0 ? (['passkey'] as const) : []), ...(recovery ? (['recovery'] as const) : [])];
}

/** Which second factors a user has: two-factor sign-in is on with TOTP confirmed or at least one passkey. */
export async function factorsOf(db: Executor, userId: number) {
  const totp = await repo.findTotp(db, userId);
  const passkeys = await passkeyRepo.countPasskeys(db, userId);
  const totpOn = Boolean(totp?.enabled_at);
  const enabledAt = [totpOn ? totp!.enabled_at : null, passkeys.firstAt].filter((t): t is string => t !== null).sort()[0] ?? null;
  return { totp: totpOn, passkeys: passkeys.count, enabled: totpOn || passkeys.count > 0, enabledAt };
}

/** An opaque single-use token that stands for "password checked" until the second step. */
export async function openChallenge(ctx: Ctx, userId: number, purpose: ChallengePurpose): Promise<string> {
  const now = ctx.clock.now();
  const token = newSecret('vc');
  const expiresAt = new Date(now.getTime() + CHALLENGE_MINUTES[purpose] * 60_000);
  await repo.insertChallenge(ctx.db, { id: token.hash, userId, purpose, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
  return token.secret;
}

/** Forced set-up at sign-in: a new seed for the user of a `setup` challenge. */
export async function startEnrolmentAtSignIn(ctx: Ctx, challenge: string) {
  const c = await liveChallenge(ctx, challenge);
  if (c.purpose !== 'setup') throw AppError.conflict('auth.challenge_purpose', 'This sign-in asks for a code, not a set-up.');
  return startEnrolment(ctx, c.user_id);
}

/**
 * The second step: a TOTP or recovery code for a `verify` challenge; for a `setup` challenge, the first
 * code of the new seed, which turns two-factor sign-in on and yields the recovery codes. Spends the
 * challenge on success (a wrong code leaves it for another try); the caller then opens the session.
 */
export async function completeSignIn(ctx: Ctx, challenge: string, code: string): Promise<{ user: UserRow; recoveryCodes?: string[] }> {
  const c = await liveChallenge(ctx, challenge);
  const user = await findUserById(ctx.db, c.user_id);
  if (!user || user.active !== 1) throw challengeExpired();
  const now = ctx.clock.now();
  return guess(ctx, user.id, () =>
    ctx.db.transaction().execute(async (trx) => {
      // The challenge first: requests sending the same one wait here for each other, and once one has spent it
      // the others find it gone before any code of theirs is tried, so one sign-in never spends two codes.
      if (!(await repo.takeChallenge(trx, c.id, now.toISOString()))) throw challengeExpired();
      if (c.purpose === 'setup') return { user, recoveryCodes: await enableWithFirstCode(ctx, trx, user, code, (message) => new AppError('auth.invalid_code', 401, message)) };
      await spendSecondFactor(ctx, trx, user.id, code);
      return { user };
    }),
  );
}

// ----- the signed-in user's own two-factor sign-in -----

export async function twoFactorStatus(ctx: Ctx, actor: Actor) {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user) throw AppError.notFound('User');
  return statusOf(ctx.db, user);
}

/**
 * A new seed for the signed-in user, pending until its first code is confirmed. When two-factor sign-in is already
 * on (passkeys), only after the password or a current code: a session alone must not add a factor of its own.
 */
export async function startOwnEnrolment(ctx: Ctx, actor: Actor, proof: Proof) {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user) throw AppError.notFound('User');
  if ((await repo.findTotp(ctx.db, user.id))?.enabled_at) throw alreadyEnabled();
  await proveWhenEnabled(ctx, user, proof);
  return startEnrolment(ctx, user.id);
}

/** The first code of the pending seed; answers recovery codes only when this turns two-factor sign-in on. */
export async function confirmOwnEnrolment(ctx: Ctx, actor: Actor, code: string): Promise<string[] | undefined> {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user) throw AppError.notFound('User');
  return guess(ctx, user.id, () => ctx.db.transaction().execute((trx) => enableWithFirstCode(ctx, trx, user, code, invalidField('code'))));
}

/**
 * Before adding a second factor: nothing while two-factor sign-in is off, else the password or a current code
 * (checked as a guess). Without it, whoever holds a session could add their own factor and use it as proof.
 */
export async function proveWhenEnabled(ctx: Ctx, user: UserRow, proof: Proof): Promise<void> {
  if (!(await factorsOf(ctx.db, user.id)).enabled) return;
  if (proof.password === undefined && proof.code === undefined) {
    const message = 'Two-factor sign-in is on: give your password or a current code to add another factor.';
    throw new AppError('two_factor.proof_required', 422, message, [{ path: 'password', message }]);
  }
  await checkProof(ctx, user, proof);
}

/** New recovery codes (the old ones stop working), after the password or a current code. */
export async function regenerateRecoveryCodes(ctx: Ctx, actor: Actor, proof: Proof) {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user) throw AppError.notFound('User');
  if (!(await factorsOf(ctx.db, user.id)).enabled) throw notEnabled();
  await checkProof(ctx, user, proof);
  const codes = newRecoveryCodes();
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.replaceRecoveryCodes(trx, user.id, codes.map((c) => hashRecoveryCode(user.id, c)), now);
    await appendEvent(trx, userEvent('user.recovery_codes_regenerated', user, actor.userId), now);
  });
  return codes;
}

/** Turns two-factor sign-in off, after the password or a current code; refused while required of this user. */
export async function disableOwnTwoFactor(ctx: Ctx, actor: Actor, proof: Proof) {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user) throw AppError.notFound('User');
  if (!(await factorsOf(ctx.db, user.id)).enabled) throw notEnabled();
  if (await requiredFor(ctx.db, user)) {
    throw AppError.conflict('two_factor.required', 'Two-factor sign-in is required for staff: it cannot be turned off.');
  }
  await checkProof(ctx, user, proof);
  await removeTwoFactor(ctx, user, actor.userId, 'self');
}

// ----- admins -----

export async function twoFactorStatusOf(ctx: Ctx, actor: Actor, userId: number) {
  requireRole(actor, 'admin');
  const user = await findVisibleUser(ctx.db, actor, userId);
  if (!user) throw AppError.notFound('User');
  return statusOf(ctx.db, user);
}

/** Lost phone: an admin removes a user's seed and recovery codes; the user sets it up again (if required, at sign-in). */
export async function resetTwoFactor(ctx: Ctx, actor: Actor, userId: number) {
  requireRole(actor, 'admin');
  const user = await findVisibleUser(ctx.db, actor, userId);
  if (!user) throw AppError.notFound('User');
  await removeTwoFactor(ctx, user, actor.userId, 'admin_reset');
}

// ----- private helpers -----

async function statusOf(db: Executor, user: UserRow) {
  const factors = await factorsOf(db, user.id);
  return {
    enabled: factors.enabled,
    enabledAt: factors.enabledAt,
    totp: factors.totp,
    passkeys: factors.passkeys,
    recoveryCodesLeft: factors.enabled ? await repo.countRecoveryCodesLeft(db, user.id) : 0,
    required: await requiredFor(db, user),
  };
}

export async function requiredFor(db: Executor, user: UserRow): Promise<boolean> {
  return user.role !== 'requester' && (await securitySettings(db)).requireTwoFactorForStaff;
}

async function startEnrolment(ctx: Ctx, userId: number) {
  const user = await findUserById(ctx.db, userId);
  if (!user) throw AppError.notFound('User');
  if ((await repo.findTotp(ctx.db, userId))?.enabled_at) throw alreadyEnabled();
  const secret = newTotpSecret();
  if (!(await repo.putPendingTotp(ctx.db, userId, ctx.secrets.seal(secret, 'totp.seed'), ctx.clock.now().toISOString()))) throw alreadyEnabled();
  const uri = otpauthUri(secret, user.email);
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return { secret, otpauthUri: uri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/**
 * The first code of a pending seed turns it on. When this turns two-factor sign-in on, returns new recovery codes
 * (shown once); when it was already on (passkeys), the user's recovery codes stay as they are and none are returned.
 */
async function enableWithFirstCode(ctx: Ctx, trx: Trx, user: UserRow, code: string, wrong: (message: string) => AppError): Promise<string[] | undefined> {
  const totp = await repo.findTotp(trx, user.id);
  if (!totp) throw AppError.conflict('two_factor.not_started', 'Start the set-up first: scan the QR code, then type the code.');
  if (totp.enabled_at) throw AppError.conflict('two_factor.already_enabled', 'Two-factor sign-in is already on.');
  const now = ctx.clock.now();
  const result = checkTotp(ctx.secrets.open(totp.secret, 'totp.seed'), code, now, null);
  if (!result.ok) throw wrong('Wrong code: type the 6 digits your app shows now (check that the phone is on time).');
  const at = now.toISOString();
  const wasEnabled = (await factorsOf(trx, user.id)).enabled;
  if (!(await repo.enableTotp(trx, user.id, result.step, at))) throw AppError.conflict('two_factor.already_enabled', 'Two-factor sign-in is already on.');
  await appendEvent(trx, userEvent('user.two_factor_enabled', user, user.id), at);
  if (wasEnabled) return undefined;
  const codes = newRecoveryCodes();
  await repo.replaceRecoveryCodes(trx, user.id, codes.map((c) => hashRecoveryCode(user.id, c)), at);
  return codes;
}

/** Spends a TOTP code (once per step) or an unspent recovery code of the user; throws when it is neither. */
async function spendSecondFactor(ctx: Ctx, trx: Trx, userId: number, code: string): Promise<void> {
  const totp = await repo.findTotp(trx, userId);
  if (!(totp?.enabled_at || (await passkeyRepo.countPasskeys(trx, userId)).count > 0)) throw challengeExpired();
  if (isTotpCode(code)) {
    if (!totp?.enabled_at) throw new AppError('auth.invalid_code', 401, 'No authenticator app is set up: use your passkey or a recovery code.');
    const result = checkTotp(ctx.secrets.open(totp.secret, 'totp.seed'), code, ctx.clock.now(), totp.last_step);
    if (!result.ok && result.reason === 'wrong') throw new AppError('auth.invalid_code', 401, 'Wrong code: type the 6 digits your app shows now, or a recovery code.');
    if (!result.ok || !(await repo.useTotpStep(trx, userId, result.step))) throw codeReused();
  } else if (!(await repo.useRecoveryCode(trx, userId, hashRecoveryCode(userId, code), ctx.clock.now().toISOString()))) {
    throw new AppError('auth.invalid_code', 401, 'Unknown or already used recovery code.');
  }
}

/** The password or a current TOTP code (a recovery code is for signing in only). */
export async function checkProof(ctx: Ctx, user: UserRow, proof: Proof): Promise<void> {
  await guess(ctx, user.id, async () => {
    if (proof.password !== undefined) {
      if (await verifyPassword(user.password_hash, proof.password)) return;
      throw invalidField('password')('Wrong password.');
    }
    const totp = await repo.findTotp(ctx.db, user.id);
    const result = totp?.enabled_at ? checkTotp(ctx.secrets.open(totp.secret, 'totp.seed'), proof.code ?? '', ctx.clock.now(), totp.last_step) : null;
    if (result?.ok && (await repo.useTotpStep(ctx.db, user.id, result.step))) return;
    throw invalidField('code')(result && !result.ok && result.reason === 'replayed' ? 'This code was already used: wait for the next one.' : 'Wrong code: type the 6 digits your app shows now.');
  });
}

/**
 * One guess of a second factor (or of the password that guards it), at most MAX_FAILURES wrong ones per account
 * in the window (then 429). The guess is recorded as failed before it is checked and counted with the others,
 * so that guesses sent in parallel see each other. A wrong one stays recorded, a right one clears the account's
 * failures, and any other outcome (a conflict, an expired sign-in) is forgotten: nothing was guessed.
 */
export async function guess<T>(ctx: Ctx, userId: number, check: () => Promise<T>): Promise<T> {
  const now = ctx.clock.now();
  const since = failureWindowStart(now);
  const id = await repo.recordFailure(ctx.db, userId, now.toISOString());
  if ((await repo.countFailures(ctx.db, userId, since)) > MAX_FAILURES) {
    await repo.deleteFailure(ctx.db, id);
    throw new AppError('auth.rate_limited', 429, `Too many wrong codes; try again in ${FAILURE_WINDOW_MINUTES} minutes.`, undefined, {
      'retry-after': String(FAILURE_WINDOW_MINUTES * 60),
    });
  }
  let result: T;
  try {
    result = await check();
  } catch (e) {
    if (!(e instanceof AppError && WRONG_GUESS.has(e.code))) await repo.deleteFailure(ctx.db, id);
    throw e;
  }
  await repo.clearFailures(ctx.db, userId, since);
  return result;
}

async function removeTwoFactor(ctx: Ctx, user: UserRow, actorId: number, reason: 'self' | 'admin_reset') {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.deleteChallengesOf(trx, user.id);
    const hadPasskeys = await passkeyRepo.deletePasskeysOf(trx, user.id);
    if ((await repo.deleteTwoFactor(trx, user.id)) || hadPasskeys) {
      await appendEvent(trx, { ...userEvent('user.two_factor_disabled', user, actorId), payload: { reason } }, now);
    }
  });
}

export async function liveChallenge(ctx: Ctx, token: string) {
  const c = await repo.findChallenge(ctx.db, hashSecret(token), ctx.clock.now().toISOString());
  if (!c) throw challengeExpired();
  return { ...c, purpose: c.purpose as ChallengePurpose };
}

function failureWindowStart(now: Date): string {
  return new Date(now.getTime() - FAILURE_WINDOW_MINUTES * 60_000).toISOString();
}

export function hashRecoveryCode(userId: number, code: string): string {
  return hashSecret(`${userId}:${normalizeRecoveryCode(code)}`);
}

export function userEvent(type: string, user: UserRow, actorId: number) {
  return { type, orgId: user.org_id, aggregateType: 'user' as const, aggregateId: user.id, actorId, payload: {} };
}

export function invalidField(path: string) {
  return (message: string) => new AppError('two_factor.invalid_proof', 422, message, [{ path, message }]);
}

export function challengeExpired() {
  return new AppError('auth.challenge_expired', 401, 'This sign-in has expired: sign in again with your e-mail and password.');
}

function alreadyEnabled() {
  return AppError.conflict('two_factor.already_enabled', 'Two-factor sign-in is already on; turn it off first to use another app.');
}

function codeReused() {
  return new AppError('auth.code_reused', 401, 'This code was already used: wait for the next one.');
}

export function notEnabled() {
  return AppError.conflict('two_factor.not_enabled', 'Two-factor sign-in is not on.');
}

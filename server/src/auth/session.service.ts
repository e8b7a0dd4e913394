import type { z } from 'zod';
import type { ChangePasswordBody, SessionMethod } from '../../../contract/auth.ts';
import { CreateUserBody } from '../../../contract/directory.ts';
import type { Ctx } from '../context.ts';
import type { Trx } from '../db/database.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { hashPassword, verifyPassword } from '../lib/passwords.ts';
import type { Actor } from '../tenancy/scope.ts';
import { findUserById, updateUser } from '../users/user.repository.ts';
import * as repo from './auth.repository.ts';
import { deleteChallengesOf } from './two-factor.repository.ts';
import { beginPasswordAttempt } from './auth.service.ts';

/** Background job: forgets sessions past their expiry (they already sign nobody in); returns how many. */
export function purgeExpiredSessions(ctx: Ctx): Promise<number> {
  return repo.deleteExpiredSessions(ctx.db, ctx.clock.now().toISOString());
}

/** Why sessions were ended, in the `user.sessions_revoked` event. */
export type SessionsEndedReason = 'revoked' | 'others_revoked' | 'admin' | 'deactivated';

/** The actor's open sessions, the current one flagged; never a session's secret or hash. */
export async function listSessions(ctx: Ctx, actor: Actor, currentSession: string | undefined) {
  const rows = await repo.listSessions(ctx.db, actor.userId, ctx.clock.now().toISOString());
  return rows.map((r) => ({
    id: r.public_id,
    current: r.id === currentSession,
    method: r.method as SessionMethod,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    ip: r.ip,
    userAgent: r.user_agent,
  }));
}

/** Ends one of the actor's sessions (404 for any id that is not theirs). */
export async function revokeSession(ctx: Ctx, actor: Actor, publicId: string) {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.deleteSessionByPublicId(trx, actor.userId, publicId))) throw AppError.notFound('Session');
    await sessionsEndedEvent(trx, { userId: actor.userId, actorId: actor.userId, count: 1, reason: 'revoked' }, now);
  });
}

/** "Sign out everywhere else": every session of the actor but the one of this request. */
export async function revokeOtherSessions(ctx: Ctx, actor: Actor, currentSession: string | undefined) {
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const count = await endSessionsAndSignIns(trx, actor.userId, currentSession);
    await sessionsEndedEvent(trx, { userId: actor.userId, actorId: actor.userId, count, reason: 'others_revoked' }, now);
    return { sessionsEnded: count };
  });
}

/**
 * Ends sessions of a user inside a use case's transaction (an admin's "sign out of every session", a
 * deactivation), and records it when there were any.
 */
export async function endSessions(trx: Trx, e: { userId: number; actorId: number; reason: SessionsEndedReason; keep?: string }, now: string) {
  const count = await endSessionsAndSignIns(trx, e.userId, e.keep);
  if (count > 0) await sessionsEndedEvent(trx, { ...e, count }, now);
  return count;
}

/**
 * The actor changes their own password, proving the current one (rate-limited with sign-in). Every
 * other session of theirs ends; this one and their API tokens stay.
 */
export async function changeOwnPassword(ctx: Ctx, actor: Actor, currentSession: string | undefined, input: z.infer<typeof ChangePasswordBody>, ip: string) {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user) throw new AppError('auth.unauthenticated', 401, 'Sign in first.');
  const attempt = await beginPasswordAttempt(ctx, user.email, ip);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError('auth.wrong_password', 403, 'The current password is wrong.', [{ path: 'currentPassword', message: 'Wrong password' }]);
  }
  await attempt.succeeded();
  const rule = NEW_PASSWORD.safeParse(input.newPassword);
  if (!rule.success) throw AppError.validation(rule.error.issues.map((i) => ({ path: 'newPassword', message: i.message })));
  const passwordHash = await hashPassword(input.newPassword);
  const now = ctx.clock.now().toISOString();
  const ended = await ctx.db.transaction().execute(async (trx) => {
    await updateUser(trx, user.id, { password_hash: passwordHash, updated_at: now });
    return passwordChanged(trx, { userId: user.id, actorId: actor.userId, keep: currentSession }, now);
  });
  return { otherSessionsEnded: ended };
}

/**
 * After a password change: ends the user's sessions but `keep` (their own current one; none after an
 * admin's reset) and records the change, without any secret. Answers how many sessions ended.
 */
export async function passwordChanged(trx: Trx, e: { userId: number; actorId: number; keep?: string }, now: string) {
  const count = await endSessionsAndSignIns(trx, e.userId, e.keep);
  const payload = { by: e.userId === e.actorId ? 'self' : 'admin', sessionsEnded: count };
  await appendEvent(trx, { type: 'user.password_changed', orgId: null, aggregateType: 'user', aggregateId: e.userId, actorId: e.actorId, payload }, now);
  return count;
}

// The same rule as when an admin sets a password (length and message).
const NEW_PASSWORD = CreateUserBody.shape.password.unwrap();

/**
 * Ends the user's sessions but `keep`, and their sign-ins half-way through (a challenge awaiting its second
 * factor was opened with a password that may be the very reason for ending them); answers how many sessions ended.
 */
async function endSessionsAndSignIns(trx: Trx, userId: number, keep: string | undefined) {
  await deleteChallengesOf(trx, userId);
  return repo.deleteSessionsOfUser(trx, userId, keep);
}

function sessionsEndedEvent(trx: Trx, e: { userId: number; actorId: number; count: number; reason: SessionsEndedReason }, now: string) {
  return appendEvent(trx, { type: 'user.sessions_revoked', orgId: null, aggregateType: 'user', aggregateId: e.userId, actorId: e.actorId, payload: { reason: e.reason, sessionsEnded: e.count } }, now);
}

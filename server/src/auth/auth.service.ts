import type { Ctx } from '../context.ts';
import { AppError } from '../http/errors.ts';
import { hashSecret, newSecret, verifyPassword } from '../lib/passwords.ts';
import { findUserByEmail, toActor } from '../users/user.repository.ts';
import type { Actor } from '../tenancy/scope.ts';
import * as repo from './auth.repository.ts';
import { openChallenge, secondFactorDue } from './two-factor.service.ts';

const WINDOW_MINUTES = 15;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 30;

/**
 * Checks the password and opens a session, or, for a user who owes a second factor, answers a challenge for
 * it; rate-limited per account and per address (429).
 */
export async function login(ctx: Ctx, input: { email: string; password: string; ip: string }) {
  const email = input.email.trim().toLowerCase();
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - WINDOW_MINUTES * 60_000).toISOString();
  const [byAccount, byAddress] = await Promise.all([
    repo.countFailedLogins(ctx.db, since, { email }),
    repo.countFailedLogins(ctx.db, since, { ip: input.ip }),
  ]);
  if (byAccount >= MAX_FAILURES_PER_ACCOUNT || byAddress >= MAX_FAILURES_PER_ADDRESS) {
    throw new AppError('auth.rate_limited', 429, `Too many failed sign-in attempts; try again in ${WINDOW_MINUTES} minutes.`, undefined, {
      'retry-after': String(WINDOW_MINUTES * 60),
    });
  }
  const user = await findUserByEmail(ctx.db, email);
  const ok = await verifyPassword(user?.active === 1 ? user.password_hash : null, input.password);
  if (!user || !ok) {
    await repo.recordFailedLogin(ctx.db, email, input.ip, now.toISOString());
    throw new AppError('auth.invalid_credentials', 401, 'Wrong e-mail or password.');
  }
  await repo.clearFailedLogins(ctx.db, email, since);
  // Two-factor sign-in: no session yet, a challenge for the second step instead.
  const due = await secondFactorDue(ctx, user);
  if (due) return { user, twoFactor: { purpose: due, challenge: await openChallenge(ctx, user.id, due) } };
  return { user, ...(await openSession(ctx, user.id)) };
}

/** Opens a session for a user whose identity was proven (password, single sign-on); the token goes in the cookie. */
export async function openSession(ctx: Ctx, userId: number): Promise<{ sessionToken: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  const session = newSecret('vs');
  const expiresAt = new Date(now.getTime() + ctx.sessionDays * 86_400_000);
  await repo.insertSession(ctx.db, { id: session.hash, userId, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
  return { sessionToken: session.secret, expiresAt };
}

export async function logout(ctx: Ctx, sessionToken: string) {
  await repo.deleteSession(ctx.db, hashSecret(sessionToken));
}

// API tokens seen in the last seconds, so that an integration's burst of requests costs one lookup.
// Revoking a token or changing a user clears it on this node; other nodes follow within TOKEN_CACHE_MS.
const TOKEN_CACHE_MS = 2000;
const TOKEN_CACHE_MAX = 10_000;
const tokenCache = new Map<string, { actor: Actor; at: number }>();

/** Forgets cached API-token lookups (after a revocation, a deactivation or a change of role or scope). */
export function forgetCachedTokens(): void {
  tokenCache.clear();
}

/** Resolves a session cookie or a bearer token to the acting user, or null. */
export async function authenticate(ctx: Ctx, credentials: { session?: string; bearer?: string }): Promise<Actor | null> {
  if (credentials.bearer) {
    const hash = hashSecret(credentials.bearer);
    const now = Date.now();
    const hit = tokenCache.get(hash);
    if (hit && now - hit.at < TOKEN_CACHE_MS) return hit.actor;
    const row = await repo.findUserByApiToken(ctx.db, hash);
    if (!row) return null;
    const actor = toActor(row);
    if (tokenCache.size >= TOKEN_CACHE_MAX) tokenCache.clear();
    tokenCache.set(hash, { actor, at: now });
    return actor;
  }
  if (credentials.session) {
    const row = await repo.findUserBySession(ctx.db, hashSecret(credentials.session), ctx.clock.now().toISOString());
    return row ? toActor(row) : null;
  }
  return null;
}

export async function createApiToken(ctx: Ctx, actor: Actor, name: string) {
  const token = newSecret('vigie');
  const row = await repo.insertApiToken(ctx.db, { userId: actor.userId, name, hash: token.hash, at: ctx.clock.now().toISOString() });
  return { ...toApiToken(row), token: token.secret };
}

export async function listApiTokens(ctx: Ctx, actor: Actor) {
  return (await repo.listApiTokens(ctx.db, actor.userId)).map(toApiToken);
}

export async function revokeApiToken(ctx: Ctx, actor: Actor, id: number) {
  if (!(await repo.revokeApiToken(ctx.db, actor.userId, id, ctx.clock.now().toISOString()))) throw AppError.notFound('API token');
  forgetCachedTokens();
}

function toApiToken(row: { id: number; name: string; created_at: string; last_used_at: string | null }) {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}

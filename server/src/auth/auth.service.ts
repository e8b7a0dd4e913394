import { randomBytes } from 'node:crypto';
import type { SessionMethod } from '../../../contract/auth.ts';
import type { Ctx } from '../context.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { hashSecret, newSecret, verifyPassword } from '../lib/passwords.ts';
import { findUserByEmail, toActor } from '../users/user.repository.ts';
import type { Actor } from '../tenancy/scope.ts';
import * as repo from './auth.repository.ts';
import { openChallenge, secondFactorDue, signInMethods } from './two-factor.service.ts';

const WINDOW_MINUTES = 15;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 30;

/**
 * Checks the password and opens a session, or, for a user who owes a second factor, answers a challenge for
 * it; rate-limited per account and per address (429).
 */
export async function login(ctx: Ctx, input: { email: string; password: string; ip: string; userAgent?: string }) {
  const email = input.email.trim().toLowerCase();
  const attempt = await beginPasswordAttempt(ctx, email, input.ip);
  const user = await findUserByEmail(ctx.db, email);
  const ok = await verifyPassword(user?.active === 1 ? user.password_hash : null, input.password);
  if (!user || !ok) throw new AppError('auth.invalid_credentials', 401, 'Wrong e-mail or password.');
  await attempt.succeeded();
  // Two-factor sign-in: no session yet, a challenge for the second step instead.
  const due = await secondFactorDue(ctx, user);
  if (due) {
    const methods = due === 'verify' ? await signInMethods(ctx, user.id) : undefined;
    return { user, twoFactor: { purpose: due, challenge: await openChallenge(ctx, user.id, due), methods } };
  }
  return { user, ...(await openSession(ctx, user.id, { ip: input.ip, userAgent: input.userAgent, method: 'password' })) };
}

/**
 * Opens a guess of an account's password: refused (429) when the account or the address has failed too often
 * lately. The attempt is recorded as failed before the password is checked, and counted with the others, so that
 * guesses sent in parallel see each other; `succeeded()` forgets the account's failures once the password is
 * right. Sign-in and password changes share the count, so neither is a way around the other.
 */
export async function beginPasswordAttempt(ctx: Ctx, email: string, ip: string): Promise<{ succeeded(): Promise<void> }> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - WINDOW_MINUTES * 60_000).toISOString();
  const id = await repo.recordLoginAttempt(ctx.db, email, ip, now.toISOString());
  const [byAccount, byAddress] = await Promise.all([repo.countFailedLogins(ctx.db, since, { email }), repo.countFailedLogins(ctx.db, since, { ip })]);
  if (byAccount > MAX_FAILURES_PER_ACCOUNT || byAddress > MAX_FAILURES_PER_ADDRESS) {
    // Refused without checking anything: not a failure of its own, or the wait would never end.
    await repo.deleteLoginAttempt(ctx.db, id);
    throw new AppError('auth.rate_limited', 429, `Too many failed sign-in attempts; try again in ${WINDOW_MINUTES} minutes.`, undefined, {
      'retry-after': String(WINDOW_MINUTES * 60),
    });
  }
  return { succeeded: () => repo.clearFailedLogins(ctx.db, email, since) };
}

/** Where a session comes from, shown to its user in their list of sessions. */
export interface SessionOrigin {
  ip: string;
  userAgent: string | undefined;
  method: SessionMethod;
}

/** Opens a session for a user whose identity was proven (password, single sign-on); the token goes in the cookie. */
export async function openSession(ctx: Ctx, userId: number, origin: SessionOrigin): Promise<{ sessionToken: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  const session = newSecret('vs');
  const expiresAt = new Date(now.getTime() + ctx.sessionDays * 86_400_000);
  await repo.insertSession(ctx.db, {
    id: session.hash,
    public_id: randomBytes(12).toString('base64url'),
    user_id: userId,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    ip: origin.ip,
    user_agent: origin.userAgent?.slice(0, USER_AGENT_MAX) || null,
    method: origin.method,
  });
  return { sessionToken: session.secret, expiresAt };
}

export async function logout(ctx: Ctx, sessionToken: string) {
  await repo.deleteSession(ctx.db, hashSecret(sessionToken));
}

/** What proved the identity of a request: which session (by hash) or which API token. */
export type Credential = { kind: 'session'; hash: string } | { kind: 'token'; id: number; readOnly: boolean };

// API tokens seen in the last seconds, so that an integration's burst of requests costs one lookup.
// Revoking a token or changing a user clears it on this node; other nodes follow within TOKEN_CACHE_MS.
// An expiry is checked on every hit, so a token never outlives it.
const TOKEN_CACHE_MS = 2000;
const TOKEN_CACHE_MAX = 10_000;
const tokenCache = new Map<string, { actor: Actor; credential: Credential; expiresAt: number | null; at: number }>();

/** Forgets cached API-token lookups (after a revocation, a deactivation or a change of role or scope). */
export function forgetCachedTokens(): void {
  tokenCache.clear();
}

/**
 * Resolves a session cookie or a bearer token to the acting user and the credential used, or null.
 * Last use is written at most once a minute per session or token, not once per request.
 */
export async function authenticate(ctx: Ctx, credentials: { session?: string; bearer?: string; ip: string }): Promise<{ actor: Actor; credential: Credential } | null> {
  const now = ctx.clock.now();
  const staleBefore = new Date(now.getTime() - LAST_USE_EVERY_MS).toISOString();
  if (credentials.bearer) {
    const hash = hashSecret(credentials.bearer);
    const hit = tokenCache.get(hash);
    if (hit && Date.now() - hit.at < TOKEN_CACHE_MS && (hit.expiresAt === null || hit.expiresAt > now.getTime())) return hit;
    const row = await repo.findUserByApiToken(ctx.db, hash, now.toISOString());
    if (!row) return null;
    if (row.token_last_used_at === null || row.token_last_used_at < staleBefore) await repo.touchApiToken(ctx.db, row.token_id, now.toISOString(), staleBefore);
    const found = { actor: toActor(row), credential: { kind: 'token', id: row.token_id, readOnly: row.token_read_only === 1 } as const };
    if (tokenCache.size >= TOKEN_CACHE_MAX) tokenCache.clear();
    tokenCache.set(hash, { ...found, expiresAt: row.token_expires_at ? new Date(row.token_expires_at).getTime() : null, at: Date.now() });
    return found;
  }
  if (credentials.session) {
    const hash = hashSecret(credentials.session);
    const row = await repo.findUserBySession(ctx.db, hash, now.toISOString());
    if (!row) return null;
    if (row.session_last_seen_at < staleBefore) await repo.touchSession(ctx.db, hash, now.toISOString(), staleBefore, credentials.ip);
    return { actor: toActor(row), credential: { kind: 'session', hash } };
  }
  return null;
}

/** Creates a token for the actor, optionally read-only and expiring; the secret is answered once. */
export async function createApiToken(ctx: Ctx, actor: Actor, input: { name: string; readOnly: boolean; expiresAt?: string }) {
  const now = ctx.clock.now();
  const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw AppError.validation([{ path: 'expiresAt', message: 'Must be in the future' }]);
  const token = newSecret('vigie');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.insertApiToken(trx, { userId: actor.userId, name: input.name, hash: token.hash, at: now.toISOString(), readOnly: input.readOnly, expiresAt: expiresAt?.toISOString() ?? null });
    const created = toApiToken(row);
    const payload = { tokenId: created.id, name: created.name, readOnly: created.readOnly, expiresAt: created.expiresAt };
    await appendEvent(trx, { type: 'api_token.created', orgId: null, aggregateType: 'user', aggregateId: actor.userId, actorId: actor.userId, payload }, now.toISOString());
    return { ...created, token: token.secret };
  });
}

export async function listApiTokens(ctx: Ctx, actor: Actor) {
  return (await repo.listApiTokens(ctx.db, actor.userId, ctx.clock.now().toISOString())).map(toApiToken);
}

export async function revokeApiToken(ctx: Ctx, actor: Actor, id: number) {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.revokeApiToken(trx, actor.userId, id, now);
    if (!row) throw AppError.notFound('API token');
    await appendEvent(trx, { type: 'api_token.revoked', orgId: null, aggregateType: 'user', aggregateId: actor.userId, actorId: actor.userId, payload: { tokenId: row.id, name: row.name } }, now);
  });
  forgetCachedTokens();
}

const USER_AGENT_MAX = 300;
const LAST_USE_EVERY_MS = 60_000;

function toApiToken(row: { id: number; name: string; read_only: number; expires_at: string | null; created_at: string; last_used_at: string | null }) {
  return { id: row.id, name: row.name, readOnly: row.read_only === 1, expiresAt: row.expires_at, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}

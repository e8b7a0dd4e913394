import type { z } from 'zod';
import type { CreateIdentityProviderBody, IdentityProviderListQuery, SsoErrorCode, UpdateIdentityProviderBody } from '../../../contract/sso.ts';
import type { Role } from '../../../contract/auth.ts';
import type { Ctx } from '../context.ts';
import type { Trx } from '../db/database.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { decodeCursor, toPage } from '../lib/cursor.ts';
import { diff } from '../lib/diff.ts';
import { getOrganization } from '../organizations/organization.repository.ts';
import { findPersonByEmail, insertPerson } from '../people/person.repository.ts';
import { type Actor, requireRole } from '../tenancy/scope.ts';
import { findUserByEmail, insertUser, toUser, type UserRow } from '../users/user.repository.ts';
import { type AuthorizationChecks, authorizationUrl, exchangeCode, newChecks } from './oidc-client.ts';
import * as repo from './sso.repository.ts';
import {
  claimedByAnother, defaultRoleFits, defaultRoleFor, domainOf, emailInDomains, localeFromClaims, nameFromClaims, type ProviderRules, roleForNewUser, safeReturnTo, sharedDomains, userFitsProvider,
  validateProvider,
} from './sso-rules.ts';

/** How long a sign-in attempt may take at the identity provider. */
export const ATTEMPT_MINUTES = 10;

type CreateBody = z.infer<typeof CreateIdentityProviderBody>;
type UpdateBody = z.infer<typeof UpdateIdentityProviderBody>;

// ----- configuration (admins) -----

/** Admins register an identity provider for one organization; the client secret is stored sealed. */
export async function createIdentityProvider(ctx: Ctx, actor: Actor, input: CreateBody, callbackUrl: string) {
  requireRole(actor, 'admin');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const forProvider = await organizationKind(trx, input.orgId);
    const config = { ...input, defaultRole: input.defaultRole ?? defaultRoleFor(forProvider === true), roleClaim: input.roleClaim ?? null };
    const errors = forProvider === null ? [{ path: 'orgId', message: 'Unknown organization' }] : validateProvider(config, forProvider);
    if (errors.length > 0) throw AppError.validation(errors, 'The identity provider is not valid');
    await assertDomainsFree(trx, config.emailDomains, null);
    const row = await repo.insertIdentityProvider(trx, {
      name: input.name,
      org_id: input.orgId,
      issuer: input.issuer,
      client_id: input.clientId,
      client_secret: input.clientSecret ? ctx.secrets.seal(input.clientSecret, 'sso.client_secret') : null,
      scopes: input.scopes,
      email_domains: JSON.stringify(config.emailDomains),
      show_button: input.showButton ? 1 : 0,
      auto_create: input.autoCreate ? 1 : 0,
      default_role: config.defaultRole,
      link_by_email: input.linkByEmail ? 1 : 0,
      role_claim: config.roleClaim,
      role_mappings: JSON.stringify(input.roleMappings),
      active: 1,
      created_at: now,
      updated_at: now,
    });
    const provider = repo.toIdentityProvider(row, callbackUrl);
    const { callbackUrl: _, ...payload } = provider;
    await appendEvent(trx, { type: 'identity_provider.created', orgId: null, aggregateType: 'identity_provider', aggregateId: row.id, actorId: actor.userId, payload }, now);
    return provider;
  });
}

/** `active: false` deactivates (never deleted: links point to it); `clientSecret` absent keeps it, null removes it. */
export async function updateIdentityProvider(ctx: Ctx, actor: Actor, id: number, input: UpdateBody, callbackUrl: string) {
  requireRole(actor, 'admin');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.getIdentityProvider(trx, id);
    if (!before) throw AppError.notFound('Identity provider');
    const old = repo.toIdentityProvider(before, callbackUrl);
    const orgId = input.orgId ?? old.orgId;
    const forProvider = await organizationKind(trx, orgId);
    const merged = { ...old, ...stripUndefined(input) };
    // Moving a provider between a client and the provider organization resets a default role that no longer fits.
    if (input.defaultRole === undefined && forProvider !== null && !defaultRoleFits(merged.defaultRole, forProvider)) merged.defaultRole = defaultRoleFor(forProvider);
    const errors = forProvider === null ? [{ path: 'orgId', message: 'Unknown organization' }] : validateProvider(merged, forProvider);
    if (errors.length > 0) throw AppError.validation(errors, 'The identity provider is not valid');
    if (merged.active) await assertDomainsFree(trx, merged.emailDomains, id);
    const row = await repo.updateIdentityProvider(trx, id, {
      name: merged.name,
      org_id: orgId,
      issuer: merged.issuer,
      client_id: merged.clientId,
      ...(input.clientSecret !== undefined && { client_secret: input.clientSecret === null ? null : ctx.secrets.seal(input.clientSecret, 'sso.client_secret') }),
      scopes: merged.scopes,
      email_domains: JSON.stringify(merged.emailDomains),
      show_button: merged.showButton ? 1 : 0,
      auto_create: merged.autoCreate ? 1 : 0,
      default_role: merged.defaultRole,
      link_by_email: merged.linkByEmail ? 1 : 0,
      role_claim: merged.roleClaim,
      role_mappings: JSON.stringify(merged.roleMappings),
      active: merged.active ? 1 : 0,
      updated_at: now,
    });
    const provider = repo.toIdentityProvider(row, callbackUrl);
    // The secret never appears in an event: only that it changed.
    const changes = diff(old, provider, ['updatedAt', 'hasClientSecret']);
    if (input.clientSecret !== undefined) changes.push({ field: 'clientSecret', from: 'changed', to: 'changed' });
    if (changes.length > 0) {
      await appendEvent(trx, { type: 'identity_provider.updated', orgId: null, aggregateType: 'identity_provider', aggregateId: id, actorId: actor.userId, payload: { changes } }, now);
    }
    return provider;
  });
}

export async function getIdentityProvider(ctx: Ctx, actor: Actor, id: number, callbackUrl: string) {
  requireRole(actor, 'admin');
  const row = await repo.getIdentityProvider(ctx.db, id);
  if (!row) throw AppError.notFound('Identity provider');
  return repo.toIdentityProvider(row, callbackUrl);
}

export async function listIdentityProviders(ctx: Ctx, actor: Actor, query: z.infer<typeof IdentityProviderListQuery>, callbackUrl: string) {
  requireRole(actor, 'admin');
  const afterId = query.cursor ? Number(decodeCursor(query.cursor)[1]) : undefined;
  const rows = await repo.listIdentityProviders(ctx.db, { afterId, limit: query.limit, active: query.active });
  return toPage(rows, query.limit, (r) => repo.toIdentityProvider(r, callbackUrl), (r) => [r.id, r.id]);
}

// ----- sign-in (public) -----

/** Active providers for the domain of this e-mail: ids and names only. */
export async function discoverProviders(ctx: Ctx, email: string) {
  const domain = domainOf(email);
  if (!domain) return [];
  const rows = await repo.listActiveIdentityProviders(ctx.db);
  return rows.filter((r) => (JSON.parse(r.email_domains) as string[]).includes(domain)).map(summary);
}

/** Active providers shown as buttons on the sign-in page. */
export async function buttonProviders(ctx: Ctx) {
  return (await repo.listActiveIdentityProviders(ctx.db)).filter((r) => r.show_button === 1).map(summary);
}

/** What the browser keeps (sealed, in a short-lived cookie) between the start and the callback. */
export interface PendingAttempt extends AuthorizationChecks {
  providerId: number;
  returnTo: string;
  redirectUri: string;
  expiresAt: number;
}

/** Starts a sign-in: the identity provider's URL to redirect to, and the attempt to keep in the browser. */
export async function startSignIn(ctx: Ctx, id: number, input: { returnTo?: string; loginHint?: string; redirectUri: string }) {
  const returnTo = safeReturnTo(input.returnTo);
  if (returnTo === null) throw AppError.validation([{ path: 'returnTo', message: 'Must be a path of this site, such as /console' }]);
  const row = await repo.getActiveIdentityProvider(ctx.db, id);
  if (!row) throw AppError.notFound('Identity provider');
  const checks = newChecks();
  const url = await authorizationUrl(settingsOf(ctx, row), { redirectUri: input.redirectUri, scopes: row.scopes, checks, loginHint: input.loginHint });
  const attempt: PendingAttempt = { ...checks, providerId: row.id, returnTo, redirectUri: input.redirectUri, expiresAt: ctx.clock.now().getTime() + ATTEMPT_MINUTES * 60_000 };
  return { url: url.href, sealedAttempt: ctx.secrets.seal(JSON.stringify(attempt), 'sso.attempt') };
}

/**
 * Finishes a sign-in at the callback: checks the attempt belongs to this browser and is recent, lets
 * openid-client exchange the code and validate the ID token, then finds the user (stored link, else
 * verified e-mail if allowed, else creation if allowed). Refusals are `sso.<SsoErrorCode>` errors.
 */
export async function completeSignIn(ctx: Ctx, input: { sealedAttempt: string | undefined; query: URLSearchParams }) {
  const attempt = openAttempt(ctx, input.sealedAttempt);
  if (!attempt || attempt.expiresAt < ctx.clock.now().getTime() || input.query.get('state') !== attempt.state) throw refusal('expired');
  if (input.query.has('error')) throw refusal('idp_error', `The identity provider answered ${input.query.get('error')}`);
  const row = await repo.getActiveIdentityProvider(ctx.db, attempt.providerId);
  if (!row) throw refusal('not_allowed', 'The identity provider is deactivated');
  const callbackUrl = new URL(attempt.redirectUri);
  callbackUrl.search = input.query.toString();
  const { issuer, claims } = await exchangeCode(settingsOf(ctx, row), callbackUrl, attempt);
  const now = ctx.clock.now().toISOString();
  const provision = () => ctx.db.transaction().execute(async (trx) => (await findOrProvisionUser(trx, row, issuer, claims, now)).id);
  let userId: number;
  try {
    userId = await provision();
  } catch (err) {
    // Two first sign-ins at once (a double submit, two tabs): the other one created or linked the user
    // first, between our lookup and our insert. Looked up again, the link it stored is found.
    if (!repo.isUniqueViolation(err)) throw err;
    userId = await provision();
  }
  // Checked at the start already; checked again as the rule may have tightened since the attempt was sealed.
  return { userId, returnTo: safeReturnTo(attempt.returnTo) ?? '/' };
}

// ----- private helpers -----

async function findOrProvisionUser(trx: Trx, row: repo.IdentityProviderRow, issuer: string, claims: Record<string, unknown> & { sub: string }, now: string): Promise<UserRow> {
  const provider = repo.rulesOf(row);
  const forProvider = (await organizationKind(trx, provider.orgId)) === true;
  const admit = (user: UserRow) => {
    if (user.active !== 1 || !userFitsProvider(toUser(user), provider, forProvider)) throw refusal('not_allowed', `User ${user.id} may not sign in with identity provider ${row.id}`);
  };
  const linked = await repo.findIdentity(trx, issuer, claims.sub);
  if (linked) {
    const { identity_id, ...user } = linked;
    admit(user);
    await repo.touchIdentity(trx, identity_id, now);
    return user;
  }
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null;
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  if (!email || !verified || (!provider.linkByEmail && !provider.autoCreate)) throw refusal('unknown_user', 'No linked user, and no verified e-mail to link or create one');
  if (!emailInDomains(provider, email, forProvider)) throw refusal('not_allowed', `The e-mail's domain is not one of identity provider ${row.id}'s`);
  const active = (await repo.listActiveIdentityProviders(trx)).map((r) => ({ id: r.id, emailDomains: repo.rulesOf(r).emailDomains }));
  const owner = claimedByAnother(email, row.id, active);
  if (owner) throw refusal('not_allowed', `The e-mail's domain belongs to identity provider ${owner.id}`);
  const existing = await findUserByEmail(trx, email);
  if (existing) {
    if (!provider.linkByEmail) throw refusal('not_allowed', `User ${existing.id} has this e-mail and linking by e-mail is off`);
    admit(existing);
    await repo.insertIdentity(trx, { userId: existing.id, providerId: row.id, issuer, subject: claims.sub, at: now });
    return existing;
  }
  if (!provider.autoCreate) throw refusal('unknown_user', 'No user with this e-mail, and creating users is off');
  const user = await createUser(trx, provider, forProvider, { email, claims, now });
  await repo.insertIdentity(trx, { userId: user.id, providerId: row.id, issuer, subject: claims.sub, at: now });
  return user;
}

/** A requester of a client organization (with their contact, linked or created there) or a staff member. */
async function createUser(trx: Trx, provider: ProviderRules & { orgId: number }, forProvider: boolean, p: { email: string; claims: Record<string, unknown>; now: string }) {
  const role: Role = forProvider ? roleForNewUser(provider, p.claims) : 'requester';
  const name = nameFromClaims(p.claims, p.email);
  const locale = localeFromClaims(p.claims);
  let personId: number | null = null;
  if (role === 'requester') {
    const person =
      (await findPersonByEmail(trx, provider.orgId, p.email)) ??
      (await insertPerson(trx, { org_id: provider.orgId, name, email: p.email, phone: null, locale, active: 1, created_at: p.now, updated_at: p.now }));
    personId = person.id;
  }
  const row = await insertUser(trx, {
    email: p.email,
    name,
    role,
    org_id: provider.orgId,
    org_scope: '[]',
    person_id: personId,
    portal_scope: 'own',
    locale,
    password_hash: null,
    active: 1,
    created_at: p.now,
    updated_at: p.now,
  });
  const user = toUser(row);
  await appendEvent(trx, { type: 'user.created', orgId: user.orgId, aggregateType: 'user', aggregateId: user.id, actorId: null, payload: user }, p.now);
  return row;
}

function openAttempt(ctx: Ctx, sealed: string | undefined): PendingAttempt | null {
  if (!sealed) return null;
  try {
    return JSON.parse(ctx.secrets.open(sealed, 'sso.attempt')) as PendingAttempt;
  } catch {
    return null;
  }
}

function settingsOf(ctx: Ctx, row: repo.IdentityProviderRow) {
  return { issuer: row.issuer, clientId: row.client_id, clientSecret: row.client_secret === null ? null : ctx.secrets.open(row.client_secret, 'sso.client_secret') };
}

/** true: the provider organization (staff); false: a client; null: unknown. */
async function organizationKind(trx: Trx, orgId: number): Promise<boolean | null> {
  const org = await getOrganization(trx, orgId);
  return org ? org.is_provider === 1 : null;
}

async function assertDomainsFree(trx: Trx, domains: string[], exceptId: number | null) {
  if (domains.length === 0) return;
  for (const other of await repo.listActiveIdentityProviders(trx)) {
    if (other.id === exceptId) continue;
    const clash = sharedDomains(domains, JSON.parse(other.email_domains) as string[]);
    if (clash.length > 0) {
      throw new AppError('identity_provider.domain_taken', 409, `${clash.join(', ')} already belongs to the identity provider "${other.name}".`, [
        { path: 'emailDomains', message: 'Already used' },
      ]);
    }
  }
}

function summary(r: repo.IdentityProviderRow) {
  return { id: r.id, name: r.name };
}

function refusal(code: SsoErrorCode, detail?: string): AppError {
  return new AppError(`sso.${code}`, code === 'idp_error' ? 502 : 403, detail ?? code);
}

function stripUndefined<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Role } from '../../../contract/auth.ts';
import type { Executor, IdentityProviderTable } from '../db/database.ts';
import type { ProviderRules } from './sso-rules.ts';

export type IdentityProviderRow = Selectable<IdentityProviderTable>;

export function getIdentityProvider(db: Executor, id: number) {
  return db.selectFrom('identity_providers').selectAll().where('id', '=', id).executeTakeFirst();
}

export function getActiveIdentityProvider(db: Executor, id: number) {
  return db.selectFrom('identity_providers').selectAll().where('id', '=', id).where('active', '=', 1).executeTakeFirst();
}

export function listIdentityProviders(db: Executor, f: { afterId?: number; limit: number; active?: boolean }) {
  let q = db.selectFrom('identity_providers').selectAll();
  if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
  return q.orderBy('id').limit(f.limit + 1).execute();
}

/** Every active provider: few rows (one per organization at most, in practice), read whole. */
export function listActiveIdentityProviders(db: Executor) {
  return db.selectFrom('identity_providers').selectAll().where('active', '=', 1).orderBy('name').orderBy('id').execute();
}

export function insertIdentityProvider(db: Executor, values: Insertable<IdentityProviderTable>) {
  return db.insertInto('identity_providers').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateIdentityProvider(db: Executor, id: number, values: Updateable<IdentityProviderTable>) {
  return db.updateTable('identity_providers').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** The user linked to this subject of this issuer, if any. */
export function findIdentity(db: Executor, issuer: string, subject: string) {
  return db
    .selectFrom('user_identities')
    .innerJoin('users', 'users.id', 'user_identities.user_id')
    .selectAll('users')
    .select(['user_identities.id as identity_id'])
    .where('user_identities.issuer', '=', issuer)
    .where('user_identities.subject', '=', subject)
    .executeTakeFirst();
}

export function insertIdentity(db: Executor, v: { userId: number; providerId: number; issuer: string; subject: string; at: string }) {
  return db
    .insertInto('user_identities')
    .values({ user_id: v.userId, provider_id: v.providerId, issuer: v.issuer, subject: v.subject, created_at: v.at, last_login_at: v.at })
    .execute();
}

export function touchIdentity(db: Executor, id: number, at: string) {
  return db.updateTable('user_identities').set({ last_login_at: at }).where('id', '=', id).execute();
}

/** Whether an insert failed on a unique constraint (users' e-mail, an identity's issuer and subject), on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The provisioning rules of a provider, for the sign-in. */
export function rulesOf(row: IdentityProviderRow): ProviderRules & { orgId: number } {
  return {
    orgId: row.org_id,
    emailDomains: JSON.parse(row.email_domains) as string[],
    autoCreate: row.auto_create === 1,
    defaultRole: row.default_role as Role,
    linkByEmail: row.link_by_email === 1,
    roleClaim: row.role_claim,
    roleMappings: JSON.parse(row.role_mappings) as { value: string; role: Role }[],
  };
}

export function toIdentityProvider(row: IdentityProviderRow, callbackUrl: string) {
  const { orgId, emailDomains, autoCreate, defaultRole, linkByEmail, roleClaim, roleMappings } = rulesOf(row);
  return {
    id: row.id,
    name: row.name,
    orgId,
    issuer: row.issuer,
    clientId: row.client_id,
    hasClientSecret: row.client_secret !== null,
    scopes: row.scopes,
    emailDomains,
    showButton: row.show_button === 1,
    autoCreate,
    defaultRole,
    linkByEmail,
    roleClaim,
    roleMappings,
    active: row.active === 1,
    callbackUrl,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

import { z } from 'zod';
import { Role } from './auth.ts';
import { Id, PageQuery, QueryBoolean, Timestamp } from './common.ts';

/** A claim value that grants a role when a user is created (e.g. groups contains "vigie-managers" → manager). */
export const RoleMapping = z.object({
  value: z.string().trim().min(1).max(200),
  role: Role,
});

export const IdentityProvider = z.object({
  id: Id,
  name: z.string().describe('Label of the sign-in button'),
  orgId: Id.describe('The organization whose users sign in with it (the provider organization: staff)'),
  issuer: z.string().describe('OpenID Connect issuer; discovered through /.well-known/openid-configuration'),
  clientId: z.string(),
  hasClientSecret: z.boolean().describe('The secret itself is write-only; without one the client is public (PKCE only)'),
  scopes: z.string(),
  emailDomains: z.array(z.string()).describe('E-mail domains whose users are sent to this provider'),
  showButton: z.boolean().describe('Shown as a button on the sign-in page'),
  autoCreate: z.boolean().describe('Create a user on first sign-in'),
  defaultRole: Role,
  linkByEmail: z.boolean().describe('Link an existing user with the same e-mail, when the provider says it is verified'),
  roleClaim: z.string().nullable().describe('Claim holding values (a string or a list) mapped to roles on creation, e.g. groups'),
  roleMappings: z.array(RoleMapping),
  active: z.boolean(),
  callbackUrl: z.string().describe('Redirect URI to register at the identity provider'),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const Domain = z.string().trim().toLowerCase().max(253);

export const CreateIdentityProviderBody = z.object({
  name: z.string().trim().min(1).max(100),
  orgId: Id,
  issuer: z.string().trim().min(1).max(500),
  clientId: z.string().trim().min(1).max(500),
  clientSecret: z.string().min(1).max(2000).optional().describe('Write-only; absent for a public client'),
  scopes: z.string().trim().min(1).max(500).default('openid email profile'),
  emailDomains: z.array(Domain).max(50).default([]),
  showButton: z.boolean().default(true),
  autoCreate: z.boolean().default(false),
  defaultRole: Role.optional().describe('requester for a client organization (the only choice); agent (default) or manager for the provider organization'),
  linkByEmail: z.boolean().default(false),
  roleClaim: z.string().trim().min(1).max(100).nullable().optional(),
  roleMappings: z.array(RoleMapping).max(50).default([]),
});

export const UpdateIdentityProviderBody = z.object({
  name: CreateIdentityProviderBody.shape.name,
  orgId: Id,
  issuer: CreateIdentityProviderBody.shape.issuer,
  clientId: CreateIdentityProviderBody.shape.clientId,
  clientSecret: z.string().min(1).max(2000).nullable().describe('Write-only; absent keeps the secret, null removes it (public client)'),
  scopes: z.string().trim().min(1).max(500),
  emailDomains: z.array(Domain).max(50),
  showButton: z.boolean(),
  autoCreate: z.boolean(),
  defaultRole: Role,
  linkByEmail: z.boolean(),
  roleClaim: z.string().trim().min(1).max(100).nullable(),
  roleMappings: z.array(RoleMapping).max(50),
  active: z.boolean(),
}).partial();

export const IdentityProviderListQuery = PageQuery.extend({ active: QueryBoolean.optional() });

/** What anyone may know about an identity provider: enough to offer it on the sign-in page. */
export const SsoProviderSummary = z.object({ id: Id, name: z.string() });
export const SsoProviderList = z.object({ items: z.array(SsoProviderSummary) });
export const SsoDiscoverQuery = z.object({ email: z.string().trim().max(320) });
export const SsoStartQuery = z.object({
  returnTo: z.string().max(1000).optional().describe('A local path to land on once signed in (default /)'),
  email: z.string().trim().max(320).optional().describe('Passed to the identity provider as login_hint'),
});
export const SsoCallbackQuery = z.looseObject({
  code: z.string().max(4000).optional(),
  state: z.string().max(1000).optional(),
  error: z.string().max(500).optional(),
});

/** Why a single sign-on attempt failed; the sign-in page shows `/?ssoError=<code>` in words. */
export const SsoErrorCode = z.enum(['unknown_user', 'not_allowed', 'idp_error', 'expired']);
export type SsoErrorCode = z.infer<typeof SsoErrorCode>;

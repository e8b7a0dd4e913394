import type { Role } from '../../../contract/auth.ts';
import type { FieldError } from '../http/errors.ts';

/**
 * Pure rules of single sign-on: which configurations are valid, which users an identity provider may
 * sign in, link or create, and where a finished sign-in may land. No I/O here.
 */

export interface ProviderRules {
  emailDomains: string[];
  autoCreate: boolean;
  defaultRole: Role;
  linkByEmail: boolean;
  roleClaim: string | null;
  roleMappings: { value: string; role: Role }[];
}

export interface ProviderConfig extends ProviderRules {
  issuer: string;
  scopes: string;
}

/** Roles a provider may give to the users it creates, by kind of organization. */
export function rolesAllowed(forProviderOrganization: boolean): Role[] {
  return forProviderOrganization ? ['agent', 'manager', 'admin'] : ['requester'];
}

/** The role given by default when the admin does not choose one. */
export function defaultRoleFor(forProviderOrganization: boolean): Role {
  return forProviderOrganization ? 'agent' : 'requester';
}

/** Whether users created by default may get this role: never admin by default, requester only for a client. */
export function defaultRoleFits(role: Role, forProviderOrganization: boolean): boolean {
  return forProviderOrganization ? role === 'agent' || role === 'manager' : role === 'requester';
}

/** Field errors of an identity provider's configuration, in words. */
export function validateProvider(c: ProviderConfig, forProviderOrganization: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const issuer = parseUrl(c.issuer);
  if (!issuer) errors.push({ path: 'issuer', message: 'A URL such as https://login.example.com' });
  else if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer.hostname))) {
    errors.push({ path: 'issuer', message: 'Must use https (http only on this machine: localhost or 127.0.0.1)' });
  } else if (issuer.search || issuer.hash || issuer.username || issuer.password) {
    errors.push({ path: 'issuer', message: 'No query, fragment or credentials in the issuer' });
  }
  if (!c.scopes.split(/\s+/).includes('openid')) errors.push({ path: 'scopes', message: 'Must include openid' });
  const seen = new Set<string>();
  c.emailDomains.forEach((d, i) => {
    if (!DOMAIN.test(d)) errors.push({ path: `emailDomains.${i}`, message: 'A domain such as example.com' });
    else if (seen.has(d)) errors.push({ path: `emailDomains.${i}`, message: 'Listed twice' });
    seen.add(d);
  });
  // A client's identity provider vouches only for addresses of its own domains (see emailInDomains).
  if (!forProviderOrganization && c.emailDomains.length === 0 && (c.autoCreate || c.linkByEmail)) {
    errors.push({ path: 'emailDomains', message: "At least one domain for a client organization whose users are created or linked by e-mail" });
  }
  const allowed = rolesAllowed(forProviderOrganization);
  if (!defaultRoleFits(c.defaultRole, forProviderOrganization)) {
    errors.push({ path: 'defaultRole', message: forProviderOrganization ? 'Agent or manager for staff' : 'Only requester for a client organization' });
  }
  c.roleMappings.forEach((m, i) => {
    if (!allowed.includes(m.role)) errors.push({ path: `roleMappings.${i}.role`, message: forProviderOrganization ? 'A staff role' : 'Only requester for a client organization' });
  });
  if (c.roleMappings.length > 0 && !c.roleClaim) errors.push({ path: 'roleClaim', message: 'Required with role mappings' });
  return errors;
}

/** Lower-case domain of an e-mail address, or null when it is not one. */
export function domainOf(email: string): string | null {
  const at = email.trim().lastIndexOf('@');
  if (at < 1) return null;
  const domain = email.trim().slice(at + 1).toLowerCase();
  return DOMAIN.test(domain) ? domain : null;
}

/** Domains listed by both, for the "unique across active providers" rule. */
export function sharedDomains(a: string[], b: string[]): string[] {
  return a.filter((d) => b.includes(d));
}

/**
 * Whether a provider may vouch for this e-mail when linking or creating a user: only addresses of the
 * domains it lists (a client's identity provider must not claim anyone else's address, so one without
 * domains vouches for none); the provider organization's own may list none and vouch for any.
 */
export function emailInDomains(rules: Pick<ProviderRules, 'emailDomains'>, email: string, forProviderOrganization: boolean): boolean {
  if (rules.emailDomains.length === 0) return forProviderOrganization;
  const domain = domainOf(email);
  return domain !== null && rules.emailDomains.includes(domain);
}

/** The other active provider whose domains hold this e-mail, if any: that one alone may link or create its addresses. */
export function claimedByAnother<P extends { id: number; emailDomains: string[] }>(email: string, providerId: number, active: P[]): P | null {
  const domain = domainOf(email);
  if (domain === null) return null;
  return active.find((p) => p.id !== providerId && p.emailDomains.includes(domain)) ?? null;
}

/**
 * Whether a provider may sign this user in: a client organization's provider only its own requesters,
 * the provider organization's provider only staff. Checked on every sign-in, links included.
 */
export function userFitsProvider(user: { role: Role; orgId: number | null }, provider: { orgId: number }, forProviderOrganization: boolean): boolean {
  if (forProviderOrganization) return user.role !== 'requester';
  return user.role === 'requester' && user.orgId === provider.orgId;
}

/** The role of a user created on first sign-in: the first mapping whose value the claim holds, else the default. */
export function roleForNewUser(rules: ProviderRules, claims: Record<string, unknown>): Role {
  if (rules.roleClaim) {
    const raw = claims[rules.roleClaim];
    const values = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
    const hit = rules.roleMappings.find((m) => values.includes(m.value));
    if (hit) return hit.role;
  }
  return rules.defaultRole;
}

/**
 * The local path to land on after signing in, or null when it would leave Vigie (an absolute URL,
 * `//host`, a backslash trick, an encoded slash or control characters): never an open redirect. The
 * normalized path is what the browser will follow, so it is checked too (`/.//host` collapses to `//host`).
 */
export function safeReturnTo(returnTo: string | undefined): string | null {
  if (returnTo === undefined || returnTo === '') return '/';
  if (!isLocalPath(returnTo)) return null;
  const base = 'http://vigie.invalid';
  let url: URL;
  try {
    url = new URL(returnTo, base);
  } catch {
    return null;
  }
  if (url.origin !== base || !isLocalPath(url.pathname) || /%(2f|5c)/i.test(url.pathname)) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return isLocalPath(path) ? path : null;
}

/** The display name from standard claims, else the e-mail. */
export function nameFromClaims(claims: Record<string, unknown>, email: string): string {
  const str = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string).trim() : '');
  const full = str('name') || [str('given_name'), str('family_name')].filter(Boolean).join(' ') || str('preferred_username');
  return (full || email).slice(0, 200);
}

/** fr or en from the `locale` claim (`fr-FR`, `en_GB`…), else null. */
export function localeFromClaims(claims: Record<string, unknown>): 'fr' | 'en' | null {
  const raw = typeof claims.locale === 'string' ? claims.locale.slice(0, 2).toLowerCase() : '';
  return raw === 'fr' || raw === 'en' ? raw : null;
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;

/** One leading slash, then no second slash or backslash right after it, no backslash or control character anywhere. */
function isLocalPath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && !/[\\\u0000-\u001f\u007f]/.test(value);
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

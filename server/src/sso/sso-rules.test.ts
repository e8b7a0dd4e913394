import { describe, expect, it } from 'vitest';
import { domainOf, emailInDomains, localeFromClaims, nameFromClaims, type ProviderConfig, roleForNewUser, safeReturnTo, userFitsProvider, validateProvider } from './sso-rules.ts';

const config = (c: Partial<ProviderConfig> = {}): ProviderConfig => ({
  issuer: 'https://login.example.com',
  scopes: 'openid email profile',
  emailDomains: [],
  autoCreate: false,
  defaultRole: 'requester',
  linkByEmail: false,
  roleClaim: null,
  roleMappings: [],
  ...c,
});

describe('safeReturnTo', () => {
  it.each([
    [undefined, '/'],
    ['', '/'],
    ['/console', '/console'],
    ['/portal/incidents/12?tab=timeline#reply', '/portal/incidents/12?tab=timeline#reply'],
    ['/a/../b', '/b'],
  ])('%j lands on %j', (input, expected) => expect(safeReturnTo(input)).toBe(expected));

  it.each(['https://evil.test', '//evil.test', '/\\evil.test', '\\\\evil.test', 'evil.test', 'javascript:alert(1)', '/\nx', ' /x'])('%j is refused (would leave Vigie)', (input) => {
    expect(safeReturnTo(input)).toBeNull();
  });
});

describe('validateProvider', () => {
  it('accepts https issuers and http only on this machine', () => {
    expect(validateProvider(config(), false)).toEqual([]);
    expect(validateProvider(config({ issuer: 'http://127.0.0.1:4000' }), false)).toEqual([]);
    expect(validateProvider(config({ issuer: 'http://localhost:4000/realms/x' }), false)).toEqual([]);
    expect(validateProvider(config({ issuer: 'http://login.example.com' }), false).map((e) => e.path)).toEqual(['issuer']);
    expect(validateProvider(config({ issuer: 'not a url' }), false).map((e) => e.path)).toEqual(['issuer']);
    expect(validateProvider(config({ issuer: 'https://login.example.com/?x=1' }), false).map((e) => e.path)).toEqual(['issuer']);
  });

  it.each([
    [false, 'requester', true],
    [false, 'agent', false],
    [true, 'agent', true],
    [true, 'manager', true],
    [true, 'admin', false],
    [true, 'requester', false],
  ] as const)('provider organization %s, default role %s: valid %s', (forProvider, defaultRole, valid) => {
    expect(validateProvider(config({ defaultRole }), forProvider).length === 0).toBe(valid);
  });

  it('admin only through an explicit claim mapping, for staff; mappings need a claim', () => {
    expect(validateProvider(config({ defaultRole: 'agent', roleClaim: 'groups', roleMappings: [{ value: 'it-admins', role: 'admin' }] }), true)).toEqual([]);
    expect(validateProvider(config({ roleClaim: 'groups', roleMappings: [{ value: 'x', role: 'admin' }] }), false).map((e) => e.path)).toEqual(['roleMappings.0.role']);
    expect(validateProvider(config({ defaultRole: 'agent', roleMappings: [{ value: 'x', role: 'manager' }] }), true).map((e) => e.path)).toEqual(['roleClaim']);
  });

  it('checks scopes and domains', () => {
    expect(validateProvider(config({ scopes: 'email' }), false).map((e) => e.path)).toEqual(['scopes']);
    expect(validateProvider(config({ emailDomains: ['example.com', 'sub.example.co.uk'] }), false)).toEqual([]);
    expect(validateProvider(config({ emailDomains: ['example.com', 'example.com', '@x.com', 'localhost'] }), false).map((e) => e.path)).toEqual([
      'emailDomains.1',
      'emailDomains.2',
      'emailDomains.3',
    ]);
  });
});

describe('who a provider may sign in', () => {
  it.each([
    [{ role: 'requester', orgId: 7 }, false, true],
    [{ role: 'requester', orgId: 8 }, false, false],
    [{ role: 'agent', orgId: 7 }, false, false],
    [{ role: 'admin', orgId: 1 }, false, false],
    [{ role: 'agent', orgId: null }, true, true],
    [{ role: 'admin', orgId: 1 }, true, true],
    [{ role: 'requester', orgId: 7 }, true, false],
  ] as const)('%j with a provider for organization 7 (staff: %s): %s', (user, forProvider, ok) => {
    expect(userFitsProvider(user, { orgId: 7 }, forProvider)).toBe(ok);
  });

  it('vouches only for its own domains when it lists some', () => {
    expect(emailInDomains({ emailDomains: [] }, 'a@anything.test')).toBe(true);
    expect(emailInDomains({ emailDomains: ['client.test'] }, 'A@Client.test')).toBe(true);
    expect(emailInDomains({ emailDomains: ['client.test'] }, 'a@evil-client.test')).toBe(false);
    expect(emailInDomains({ emailDomains: ['client.test'] }, 'a@sub.client.test')).toBe(false);
    expect(domainOf('no-at-sign')).toBeNull();
  });
});

describe('users created on first sign-in', () => {
  const rules = config({ defaultRole: 'agent', roleClaim: 'groups', roleMappings: [{ value: 'vigie-managers', role: 'manager' }, { value: 'vigie-admins', role: 'admin' }] });
  it.each([
    [{ groups: ['staff', 'vigie-managers'] }, 'manager'],
    [{ groups: 'vigie-admins' }, 'admin'],
    [{ groups: 'a vigie-managers' }, 'manager'],
    [{ groups: ['vigie-managers-old'] }, 'agent'],
    [{}, 'agent'],
  ] as const)('claims %j give %s', (claims, role) => expect(roleForNewUser(rules, claims)).toBe(role));

  it('takes the name and language from standard claims', () => {
    expect(nameFromClaims({ name: ' Alice Martin ' }, 'a@x.test')).toBe('Alice Martin');
    expect(nameFromClaims({ given_name: 'Alice', family_name: 'Martin' }, 'a@x.test')).toBe('Alice Martin');
    expect(nameFromClaims({}, 'a@x.test')).toBe('a@x.test');
    expect([localeFromClaims({ locale: 'fr-CA' }), localeFromClaims({ locale: 'en_GB' }), localeFromClaims({ locale: 'de' }), localeFromClaims({})]).toEqual(['fr', 'en', null, null]);
  });
});

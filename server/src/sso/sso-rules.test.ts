import { describe, expect, it } from 'vitest';
import { claimedByAnother, domainOf, emailInDomains, localeFromClaims, nameFromClaims, type ProviderConfig, roleForNewUser, safeReturnTo, userFitsProvider, validateProvider } from './sso-rules.ts';

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
    ['/./console', '/console'],
    ['/portal?next=%2F%2Fnot-a-path', '/portal?next=%2F%2Fnot-a-path'],
  ])('%j lands on %j', (input, expected) => expect(safeReturnTo(input)).toBe(expected));

  it.each([
    'https://evil.test',
    '//evil.test',
    '/\\evil.test',
    '\\\\evil.test',
    '\\evil.test',
    'evil.test',
    'javascript:alert(1)',
    '/\nx',
    ' /x',
    // Dot segments that collapse to `//host` once normalized (as the browser resolves them).
    '/.//evil.test',
    '/..//evil.test',
    '/a/..//evil.test',
    '/a/b/../..//evil.test',
    '/%2e//evil.test',
    '/%2E%2E//evil.test/x',
    '/./\\evil.test',
    // Encoded slashes and backslashes, which some servers and routers decode.
    '/%2F/evil.test',
    '/%2f%2fevil.test',
    '/%5C/evil.test',
    '/%5cevil.test',
  ])('%j is refused (would leave Vigie)', (input) => {
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

  it('a client organization whose users are created or linked by e-mail needs domains; staff may list none', () => {
    const needed = [{ path: 'emailDomains', message: 'At least one domain for a client organization whose users are created or linked by e-mail' }];
    expect(validateProvider(config({ autoCreate: true }), false)).toEqual(needed);
    expect(validateProvider(config({ linkByEmail: true }), false)).toEqual(needed);
    expect(validateProvider(config(), false)).toEqual([]);
    expect(validateProvider(config({ autoCreate: true, linkByEmail: true, emailDomains: ['client.test'] }), false)).toEqual([]);
    expect(validateProvider(config({ autoCreate: true, linkByEmail: true, defaultRole: 'agent' }), true)).toEqual([]);
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

  it('vouches only for its own domains; without domains, only the provider organization’s vouches (for staff)', () => {
    expect(emailInDomains({ emailDomains: [] }, 'a@anything.test', true)).toBe(true);
    expect(emailInDomains({ emailDomains: [] }, 'a@anything.test', false)).toBe(false);
    expect(emailInDomains({ emailDomains: ['client.test'] }, 'A@Client.test', false)).toBe(true);
    expect(emailInDomains({ emailDomains: ['client.test'] }, 'a@evil-client.test', false)).toBe(false);
    expect(emailInDomains({ emailDomains: ['client.test'] }, 'a@sub.client.test', false)).toBe(false);
    expect(emailInDomains({ emailDomains: ['desk.test'] }, 'a@client.test', true)).toBe(false);
    expect(domainOf('no-at-sign')).toBeNull();
  });

  it('leaves an address to the other active provider whose domains hold it', () => {
    const active = [
      { id: 1, emailDomains: [] },
      { id: 2, emailDomains: ['client.test'] },
      { id: 3, emailDomains: ['desk.test', 'other.test'] },
    ];
    expect(claimedByAnother('a@client.test', 1, active)?.id).toBe(2);
    expect(claimedByAnother('a@Other.test', 2, active)?.id).toBe(3);
    expect(claimedByAnother('a@client.test', 2, active)).toBeNull();
    expect(claimedByAnother('a@nowhere.test', 1, active)).toBeNull();
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

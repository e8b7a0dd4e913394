import { describe, expect, it } from 'vitest';
import { changesOf, changeText, csvCell, csvRow, labelFromPayload, redact } from './audit-rules.ts';

describe('changesOf', () => {
  it('keeps the changes of an update', () => {
    expect(changesOf({ changes: [{ field: 'name', from: 'Gold', to: 'Platinum' }] })).toEqual([{ field: 'name', from: 'Gold', to: 'Platinum' }]);
  });

  it('lists the fields a record was created with, without its id and timestamps', () => {
    expect(changesOf({ id: 4, name: 'Office', timezone: 'Europe/Paris', createdAt: 'x', updatedAt: 'y' })).toEqual([
      { field: 'name', to: 'Office' },
      { field: 'timezone', to: 'Europe/Paris' },
    ]);
  });

  it.each([
    ['password', 'old', 'new'],
    ['passwordHash', '$argon2id$v=19$x', '$argon2id$v=19$y'],
    ['clientSecret', 'a', 'b'],
    ['totpSeed', 'JBSWY3DP', 'KRSXG5CT'],
    ['recoveryCodes', ['a', 'b'], ['c']],
    ['token', 'vigie_x', 'vigie_y'],
    ['apiToken', 'x', 'y'],
    ['tokenHash', 'x', 'y'],
    ['webhookApiKey', 'x', 'y'],
  ])('masks the secret field %s', (field, from, to) => {
    expect(changesOf({ changes: [{ field, from, to }] })).toEqual([{ field, from: '***', to: '***' }]);
  });

  it('shows that a secret was set or removed, never its value', () => {
    expect(changesOf({ changes: [{ field: 'clientSecret', from: null, to: 's3cret' }] })).toEqual([{ field: 'clientSecret', from: null, to: '***' }]);
    expect(changesOf({ clientSecret: 'v1.abc', clientId: 'vigie' })).toEqual([
      { field: 'clientSecret', to: '***' },
      { field: 'clientId', to: 'vigie' },
    ]);
  });

  it('masks secrets nested in values and secret-looking values under any name', () => {
    expect(changesOf({ changes: [{ field: 'oidc', from: null, to: { issuer: 'https://idp', clientSecret: 'x' } }] })).toEqual([
      { field: 'oidc', from: null, to: { issuer: 'https://idp', clientSecret: '***' } },
    ]);
    const sha = 'a'.repeat(64);
    expect(changesOf({ note: `vigie_${'Z'.repeat(43)}`, digest: sha, sealed: `v1.${'A'.repeat(40)}` })).toEqual([
      { field: 'note', to: '***' },
      { field: 'digest', to: '***' },
      { field: 'sealed', to: '***' },
    ]);
  });

  it('keeps ordinary fields whose names only look alike', () => {
    expect(changesOf({ changes: [{ field: 'tokenName', from: 'a', to: 'b' }, { field: 'twoFactorRequired', from: false, to: true }] })).toEqual([
      { field: 'tokenName', from: 'a', to: 'b' },
      { field: 'twoFactorRequired', from: false, to: true },
    ]);
  });

  it('answers nothing for a payload that is not an object', () => {
    expect(changesOf(null)).toEqual([]);
    expect(changesOf([1])).toEqual([]);
  });
});

describe('redact', () => {
  it('leaves plain values alone', () => {
    expect(redact({ a: [1, 'x', { b: null }] })).toEqual({ a: [1, 'x', { b: null }] });
  });
});

describe('labelFromPayload', () => {
  it.each([
    [{ name: 'Okta', id: 1 }, 'Okta'],
    [{ email: 'a@b.c' }, 'a@b.c'],
    [{ changes: [] }, null],
    [null, null],
  ])('%j → %s', (payload, label) => expect(labelFromPayload(payload)).toBe(label));
});

describe('CSV', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+33 1 23', "'+33 1 23"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['line\nbreak', '"line\nbreak"'],
    ['', ''],
  ])('cell %j → %j', (value, cell) => expect(csvCell(value)).toBe(cell));

  it('writes a change, or a stated value, in words', () => {
    expect(changeText({ field: 'name', from: 'Gold', to: 'Platinum' })).toBe('name: "Gold" → "Platinum"');
    expect(changeText({ field: 'description', from: null, to: 'x' })).toBe('description: ∅ → "x"');
    expect(changeText({ field: 'name', to: 'Office' })).toBe('name: "Office"');
  });

  it('writes rows ended by CRLF', () => {
    expect(csvRow(['a', null, 3])).toBe('a,,3\r\n');
  });
});

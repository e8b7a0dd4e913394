import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { checkTotp, isTotpCode, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, otpauthUri, stepAt } from './totp.ts';

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890"; a 6-digit code is the last 6 digits of the 8-digit one.
const RFC_SEED = Secret.fromLatin1('12345678901234567890').base32;
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

const at = (seconds: number) => new Date(seconds * 1000);
const codeAt = (seed: string, seconds: number) => TOTP.generate({ secret: Secret.fromBase32(seed), timestamp: seconds * 1000 });

describe('checkTotp', () => {
  it.each(RFC_VECTORS)('accepts the RFC 6238 code at T=%i', (seconds, eightDigits) => {
    expect(TOTP.generate({ secret: Secret.fromBase32(RFC_SEED), digits: 8, timestamp: seconds * 1000 })).toBe(eightDigits);
    expect(checkTotp(RFC_SEED, eightDigits.slice(2), at(seconds), null)).toEqual({ ok: true, step: Math.floor(seconds / 30) });
  });

  it.each([
    ['one step late (drift)', -30, true],
    ['one step early (drift)', 30, true],
    ['two steps late', -60, false],
    ['two steps early', 60, false],
  ])('a code from %s is accepted: %s', (_label, offset, ok) => {
    const now = 1_700_000_010;
    const code = codeAt(RFC_SEED, now + offset);
    const result = checkTotp(RFC_SEED, code, at(now), null);
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.step).toBe(stepAt(at(now + offset)));
  });

  it('refuses a code already used, and an older one, but takes the next step', () => {
    const now = 1_700_000_010;
    const first = checkTotp(RFC_SEED, codeAt(RFC_SEED, now), at(now), null);
    expect(first.ok).toBe(true);
    const last = first.ok ? first.step : 0;
    expect(checkTotp(RFC_SEED, codeAt(RFC_SEED, now), at(now + 5), last)).toEqual({ ok: false, reason: 'replayed' });
    expect(checkTotp(RFC_SEED, codeAt(RFC_SEED, now - 30), at(now), last)).toEqual({ ok: false, reason: 'replayed' });
    expect(checkTotp(RFC_SEED, codeAt(RFC_SEED, now + 30), at(now + 30), last)).toEqual({ ok: true, step: last + 1 });
  });

  it.each(['', '12345', '1234567', 'abcdef', '000000'])('refuses %j', (code) => {
    // 000000 is not the code of any step around this moment for this seed.
    expect(checkTotp(RFC_SEED, code, at(59), null)).toEqual({ ok: false, reason: 'wrong' });
  });

  it('ignores spaces typed in a code', () => {
    const code = codeAt(RFC_SEED, 59);
    expect(checkTotp(RFC_SEED, `${code.slice(0, 3)} ${code.slice(3)}`, at(59), null).ok).toBe(true);
  });
});

describe('enrolment values', () => {
  it('makes 160-bit base32 seeds and a URI that authenticator apps read', () => {
    const seed = newTotpSecret();
    expect(seed).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(seed);
    const uri = new URL(otpauthUri(seed, 'ana@example.test'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Vigie:ana@example.test');
    expect(Object.fromEntries(uri.searchParams)).toEqual({ issuer: 'Vigie', secret: seed, algorithm: 'SHA1', digits: '6', period: '30' });
  });

  it('makes ten distinct recovery codes that never look like a TOTP code', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) {
      expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(isTotpCode(c)).toBe(false);
    }
    expect(normalizeRecoveryCode(' ABCDE-fghjk ')).toBe('abcdefghjk');
  });
});

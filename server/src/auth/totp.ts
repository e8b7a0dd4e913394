import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * TOTP as RFC 6238 and the common authenticator apps have it: HMAC-SHA1, 6 digits, 30-second steps.
 * A code is accepted one step early or late (clock drift), and never twice: the step of the last accepted
 * code is kept, and a code of that step or an earlier one is refused.
 */
export const TOTP_ISSUER = 'Vigie';
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const ALGORITHM = 'SHA1';
const DRIFT_STEPS = 1;
const SECRET_BYTES = 20;

export const RECOVERY_CODE_COUNT = 10;
// No 0/o, 1/l/i: codes are read off paper.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'replayed' };

/** A new random seed, in base32 (what apps accept for manual entry). */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The `otpauth://totp/Vigie:<account>?…` URI that apps read from the QR code. */
export function otpauthUri(secret: string, account: string): string {
  return totpFor(secret, account).toString();
}

/** The 30-second step a moment falls in. */
export function stepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / PERIOD_SECONDS);
}

/**
 * Checks a code at `now` against the seed, given the step of the last code accepted (null if none).
 * @example checkTotp(seed, '287082', new Date(59_000), null) // { ok: true, step: 1 }
 */
export function checkTotp(secret: string, code: string, now: Date, lastStep: number | null): TotpCheck {
  const token = code.replace(/\s/g, '');
  if (!isTotpCode(token)) return { ok: false, reason: 'wrong' };
  const delta = totpFor(secret, '').validate({ token, timestamp: now.getTime(), window: DRIFT_STEPS });
  if (delta === null) return { ok: false, reason: 'wrong' };
  const step = stepAt(now) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

/** Six digits (spaces ignored): a TOTP code; anything else given at sign-in is taken for a recovery code. */
export function isTotpCode(code: string): boolean {
  return new RegExp(`^\\d{${DIGITS}}$`).test(code.replace(/\s/g, ''));
}

/** Ten fresh recovery codes, `xxxxx-xxxxx`, about 49 bits each. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: RECOVERY_LENGTH }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** A recovery code as typed (any case, with or without the dash or spaces) to the form it is hashed in. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

function totpFor(secret: string, account: string): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, label: account, algorithm: ALGORITHM, digits: DIGITS, period: PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

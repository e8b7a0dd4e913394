import { z } from 'zod';
import { Me } from './auth.ts';
import { Timestamp } from './common.ts';

/** A TOTP code (6 digits) or, where said, a recovery code (`xxxxx-xxxxx`). */
const Code = z.string().trim().min(1).max(40);

export const TwoFactorStatus = z.object({
  enabled: z.boolean(),
  enabledAt: Timestamp.nullable(),
  totp: z.boolean().describe('An authenticator app (TOTP) is set up'),
  passkeys: z.number().int().describe('How many passkeys are registered (GET /me/two-factor/passkeys)'),
  recoveryCodesLeft: z.number().int(),
  required: z.boolean().describe('The provider requires two-factor sign-in of staff and this user is staff: it cannot be turned off'),
});

export const TotpEnrolment = z.object({
  secret: z.string().describe('Base32 seed, for typing into an authenticator app by hand'),
  otpauthUri: z.string().describe('otpauth://totp/Vigie:<e-mail>?… (what the QR code holds)'),
  qrDataUrl: z.string().describe('The QR code of otpauthUri as a data:image/svg+xml URL, for an <img>'),
});

export const ConfirmTotpBody = z.object({ code: Code.describe('The 6-digit code the app shows now') });

export const RecoveryCodes = z.object({
  recoveryCodes: z.array(z.string()).describe('Shown once; each signs in once instead of a TOTP code'),
});

/** Re-proves who you are: the password or a current TOTP code. */
export const TwoFactorProofBody = z
  .object({ password: z.string().min(1).max(1000).optional(), code: Code.optional() })
  .refine((b) => (b.password === undefined) !== (b.code === undefined), { message: 'Give either password or code' });

/**
 * Starting to add a second factor: no body (or `{}`) while two-factor sign-in is off; once it is on (another factor
 * is set up), the password or a current TOTP code, so that a session alone cannot add a factor of its own.
 */
export const AddFactorProofBody = z
  .object({ password: z.string().min(1).max(1000).optional(), code: Code.optional() })
  .refine((b) => b.password === undefined || b.code === undefined, { message: 'Give either password or code, not both' })
  .nullish();

/** The answer to confirming an authenticator app. */
export const TotpConfirmed = z.object({
  recoveryCodes: z
    .array(z.string())
    .optional()
    .describe('Only when two-factor sign-in was off: shown once; each signs in once instead of a TOTP code. When it was already on (passkeys), the existing recovery codes stay'),
});

export const LoginChallenge = z.object({
  twoFactorRequired: z.literal(true).optional().describe('Send a TOTP or recovery code to POST /auth/login/two-factor, or a passkey to POST /auth/login/two-factor/passkey'),
  twoFactorSetupRequired: z
    .literal(true)
    .optional()
    .describe('Two-factor sign-in is required and not set up: POST /auth/login/two-factor/setup, then the code to POST /auth/login/two-factor'),
  challenge: z.string().describe('Opaque, single use, valid 5 minutes (15 for a set-up)'),
  methods: z
    .array(z.enum(['totp', 'passkey', 'recovery']))
    .optional()
    .describe('With twoFactorRequired: the second factors this user can give (a code of their app, a passkey, a recovery code)'),
});

export const LoginTwoFactorBody = z.object({
  challenge: z.string().min(1).max(200),
  code: Code.describe('A TOTP code, or a recovery code (not during a set-up)'),
});
export const LoginSetupBody = z.object({ challenge: z.string().min(1).max(200) });

export const MeWithRecoveryCodes = Me.extend({
  recoveryCodes: z.array(z.string()).optional().describe('After a set-up at sign-in only: shown once'),
});

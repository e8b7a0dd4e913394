import { z } from 'zod';
import { Timestamp } from './common.ts';

/** A passkey (WebAuthn credential) registered as a second factor. */
export const Passkey = z.object({
  id: z.number().int(),
  name: z.string(),
  transports: z.array(z.string()).describe('How the browser reaches the authenticator: usb, nfc, ble, internal, hybrid…'),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
});
export const PasskeyList = z.object({ items: z.array(Passkey) });

/** WebAuthn options for the browser (`navigator.credentials.create`/`get`, e.g. via @simplewebauthn/browser), as JSON. */
export const PasskeyCreationOptions = z.looseObject({ challenge: z.string() }).describe('PublicKeyCredentialCreationOptionsJSON (rp "Vigie", this host)');
export const PasskeyRequestOptions = z.looseObject({ challenge: z.string() }).describe('PublicKeyCredentialRequestOptionsJSON: the passkeys of the user signing in');

const B64u = z.string().min(1).max(20_000);
/** What the browser answers to `navigator.credentials.create`, as JSON (RegistrationResponseJSON). */
export const PasskeyRegistrationResponse = z.looseObject({
  id: B64u,
  rawId: B64u,
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: B64u, attestationObject: B64u, transports: z.array(z.string().max(20)).max(10).optional() }),
  clientExtensionResults: z.looseObject({}),
});
/** What the browser answers to `navigator.credentials.get`, as JSON (AuthenticationResponseJSON). */
export const PasskeyAuthenticationResponse = z.looseObject({
  id: B64u,
  rawId: B64u,
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: B64u, authenticatorData: B64u, signature: B64u, userHandle: B64u.optional() }),
  clientExtensionResults: z.looseObject({}),
});

export const AddPasskeyBody = z.object({
  name: z.string().trim().min(1).max(100).describe('Yours to recognise it by, e.g. "YubiKey" or "Laptop"'),
  response: PasskeyRegistrationResponse,
});
export const AddedPasskey = z.object({
  passkey: Passkey,
  recoveryCodes: z.array(z.string()).optional().describe('When you had none left (e.g. your first second factor): shown once'),
});

export const LoginPasskeyOptionsBody = z.object({ challenge: z.string().min(1).max(200) });
export const LoginPasskeyBody = z.object({ challenge: z.string().min(1).max(200), response: PasskeyAuthenticationResponse });

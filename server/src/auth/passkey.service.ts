import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Ctx } from '../context.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { newRecoveryCodes } from './totp.ts';
import type { Actor } from '../tenancy/scope.ts';
import { findUserById, type UserRow } from '../users/user.repository.ts';
import * as repo from './passkey.repository.ts';
import * as twoFactorRepo from './two-factor.repository.ts';
import { challengeExpired, checkProof, factorsOf, guess, hashRecoveryCode, liveChallenge, proveWhenEnabled, requiredFor, userEvent } from './two-factor.service.ts';

/** Where the browser talks to Vigie: the origin its signed data must name, and the relying-party id (its host). */
export type RelyingParty = { origin: string; rpID: string };

const REGISTRATION_MINUTES = 5;
const RP_NAME = 'Vigie';

/** Vigie's relying party, from VIGIE_PUBLIC_URL when set, else from the request's own origin (as CSRF checks it). */
export function relyingParty(publicUrl: string | undefined, requestOrigin: string): RelyingParty {
  let url: URL;
  try {
    url = new URL(publicUrl ?? requestOrigin);
  } catch {
    // Only a malformed Host header of the request gets here (VIGIE_PUBLIC_URL is checked at start-up).
    throw new AppError('request.invalid_host', 400, 'The Host header of this request is not a valid host name.');
  }
  return { origin: url.origin, rpID: url.hostname };
}

// ----- the signed-in user's passkeys -----

export async function listOwnPasskeys(ctx: Ctx, actor: Actor) {
  return { items: (await repo.listPasskeys(ctx.db, actor.userId)).map(toPasskey) };
}

/**
 * Registration options for a new passkey (once two-factor sign-in is on, only after the password or a current code);
 * its challenge is kept for REGISTRATION_MINUTES, for one registration.
 */
export async function startPasskeyRegistration(ctx: Ctx, actor: Actor, rp: RelyingParty, proof: { password?: string; code?: string }) {
  const user = await ownUser(ctx, actor);
  await proveWhenEnabled(ctx, user, proof);
  const existing = await repo.listPasskeys(ctx.db, user.id);
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(`vigie-user-${user.id}`),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: transportsOf(p) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  const expiresAt = new Date(ctx.clock.now().getTime() + REGISTRATION_MINUTES * 60_000).toISOString();
  await repo.putRegistration(ctx.db, user.id, options.challenge, expiresAt);
  return options;
}

/**
 * Verifies the browser's answer to the registration options and stores the passkey; this turns two-factor sign-in
 * on when it was off, and then answers new recovery codes (shown once). When it was already on, the recovery codes
 * stay as they are: adding a factor must not hand out a fresh way in.
 */
export async function addOwnPasskey(ctx: Ctx, actor: Actor, input: { name: string; response: RegistrationResponseJSON }, rp: RelyingParty) {
  const user = await ownUser(ctx, actor);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const expectedChallenge = await repo.takeRegistration(trx, user.id, now);
    if (!expectedChallenge) throw AppError.conflict('passkey.not_started', 'Start again: this passkey registration has expired or was already used.');
    const verified = await verifyRegistrationResponse({ response: input.response, expectedChallenge, expectedOrigin: rp.origin, expectedRPID: rp.rpID, requireUserVerification: false }).catch(
      () => ({ verified: false as const }),
    );
    if (!verified.verified) throw invalidPasskey('response', 'This passkey could not be verified for Vigie at this address: try again.');
    const { credential } = verified.registrationInfo;
    if (await repo.credentialExists(trx, credential.id)) throw AppError.conflict('passkey.already_registered', 'This passkey is already registered.');
    const wasEnabled = (await factorsOf(trx, user.id)).enabled;
    const row = await repo.insertPasskey(trx, {
      userId: user.id,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? input.response.response.transports ?? [],
      name: input.name,
      at: now,
    });
    let recoveryCodes: string[] | undefined;
    if (!wasEnabled) {
      recoveryCodes = newRecoveryCodes();
      await twoFactorRepo.replaceRecoveryCodes(trx, user.id, recoveryCodes.map((c) => hashRecoveryCode(user.id, c)), now);
    }
    if (!wasEnabled) await appendEvent(trx, userEvent('user.two_factor_enabled', user, user.id), now);
    await appendEvent(trx, { ...userEvent('user.passkey_added', user, user.id), payload: { passkeyId: row.id, name: row.name } }, now);
    return { passkey: toPasskey(row), ...(recoveryCodes && { recoveryCodes }) };
  });
}

/**
 * Removes one of the user's passkeys, after the password or a current code; the last second factor cannot go while
 * two-factor sign-in is required of this user, and with it go the recovery codes (two-factor sign-in is then off).
 */
export async function removeOwnPasskey(ctx: Ctx, actor: Actor, id: number, proof: { password?: string; code?: string }) {
  const user = await ownUser(ctx, actor);
  const passkey = await repo.findPasskeyOf(ctx.db, user.id, { id });
  if (!passkey) throw AppError.notFound('Passkey');
  const factors = await factorsOf(ctx.db, user.id);
  const last = !factors.totp && factors.passkeys === 1;
  if (last && (await requiredFor(ctx.db, user))) throw lastFactorRequired();
  await checkProof(ctx, user, proof);
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await repo.lockUser(trx, user.id);
    if (!(await repo.deletePasskey(trx, user.id, id))) throw AppError.notFound('Passkey');
    if (!(await factorsOf(trx, user.id)).enabled) {
      // Checked again here: another removal may have taken the other factor since the check above (this rolls back).
      if (await requiredFor(trx, user)) throw lastFactorRequired();
      await twoFactorRepo.deleteTwoFactor(trx, user.id);
      await twoFactorRepo.deleteChallengesOf(trx, user.id);
      await appendEvent(trx, { ...userEvent('user.two_factor_disabled', user, user.id), payload: { reason: 'self' } }, now);
    }
    await appendEvent(trx, { ...userEvent('user.passkey_removed', user, user.id), payload: { passkeyId: passkey.id, name: passkey.name } }, now);
  });
}

// ----- the sign-in step -----

/** Authentication options for a sign-in challenge: the passkeys of that user; the challenge they carry is kept with it. */
export async function passkeyOptionsAtSignIn(ctx: Ctx, challenge: string, rp: RelyingParty) {
  const c = await liveChallenge(ctx, challenge);
  if (c.purpose !== 'verify') throw AppError.conflict('auth.challenge_purpose', 'This sign-in asks for a set-up, not a passkey.');
  const passkeys = await repo.listPasskeys(ctx.db, c.user_id);
  if (passkeys.length === 0) throw AppError.conflict('auth.no_passkey', 'No passkey is registered for this account: use a code.');
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: passkeys.map((p) => ({ id: p.credential_id, transports: transportsOf(p) })),
    userVerification: 'preferred',
  });
  if (!(await repo.setSignInWebauthnChallenge(ctx.db, c.id, options.challenge, ctx.clock.now().toISOString()))) throw challengeExpired();
  return options;
}

/**
 * The second step with a passkey: the assertion must be signed by one of this user's passkeys over the options'
 * challenge, for Vigie's origin, with a counter above the stored one. Same rules as codes: a wrong one counts
 * against the limit and leaves the challenge for another try; success spends the challenge.
 */
export async function completeSignInWithPasskey(ctx: Ctx, challenge: string, response: AuthenticationResponseJSON, rp: RelyingParty): Promise<UserRow> {
  const c = await liveChallenge(ctx, challenge);
  if (c.purpose !== 'verify' || !c.webauthn_challenge) {
    throw AppError.conflict('auth.passkey_not_started', 'Ask for the passkey options of this sign-in first (POST /auth/login/two-factor/passkey-options).');
  }
  const expectedChallenge = c.webauthn_challenge;
  const user = await findUserById(ctx.db, c.user_id);
  if (!user || user.active !== 1) throw challengeExpired();
  const now = ctx.clock.now().toISOString();
  return guess(ctx, user.id, () =>
    ctx.db.transaction().execute(async (trx) => {
      if (!(await twoFactorRepo.takeChallenge(trx, c.id, now))) throw challengeExpired();
      const passkey = await repo.findPasskeyOf(trx, user.id, { credentialId: response.id });
      if (!passkey) throw wrongPasskey();
      const verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpID,
        credential: { id: passkey.credential_id, publicKey: Buffer.from(passkey.public_key, 'base64url'), counter: Number(passkey.counter), transports: transportsOf(passkey) },
        requireUserVerification: false,
      }).catch(() => ({ verified: false as const, authenticationInfo: undefined }));
      if (!verified.verified || !verified.authenticationInfo) throw wrongPasskey();
      if (!(await repo.usePasskey(trx, passkey.id, Number(passkey.counter), verified.authenticationInfo.newCounter, now))) throw wrongPasskey();
      return user;
    }),
  );
}

// ----- private helpers -----

async function ownUser(ctx: Ctx, actor: Actor) {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user) throw AppError.notFound('User');
  return user;
}

function transportsOf(p: { transports: string }): AuthenticatorTransport[] {
  return JSON.parse(p.transports) as AuthenticatorTransport[];
}

function toPasskey(p: { id: number; name: string; transports: string; created_at: string; last_used_at: string | null }) {
  return { id: p.id, name: p.name, transports: JSON.parse(p.transports) as string[], createdAt: p.created_at, lastUsedAt: p.last_used_at };
}

function lastFactorRequired() {
  return AppError.conflict('two_factor.required', 'Two-factor sign-in is required for staff: add another passkey or an authenticator app before removing this one.');
}

function invalidPasskey(path: string, message: string) {
  return new AppError('passkey.invalid_response', 422, message, [{ path, message }]);
}

function wrongPasskey() {
  return new AppError('auth.invalid_passkey', 401, 'This passkey was not accepted: use a passkey registered for this account, or a code.');
}

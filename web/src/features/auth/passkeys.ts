import { startAuthentication, startRegistration, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { AddedPasskey as AddedPasskeySchema, PasskeyList as PasskeyListSchema } from '../../../../contract/passkeys.ts';
import { api, ApiError } from '../../app/api.ts';
import type { Me } from './session.ts';
import type { Proof } from './two-factor.ts';

export type Passkey = z.infer<typeof PasskeyListSchema>['items'][number];
type AddedPasskey = z.infer<typeof AddedPasskeySchema>;

const PASSKEYS_KEY = ['passkeys'];
const STATUS_KEY = ['two-factor'];

// ----- sign-in -----

/** The second sign-in step with a passkey: the options of this sign-in, the browser's prompt, then the answer. */
export function usePasskeySignIn() {
  return useMutation({
    mutationFn: async (challenge: string) => {
      const options = await api<PublicKeyCredentialRequestOptionsJSON>('/auth/login/two-factor/passkey-options', { method: 'POST', body: { challenge } });
      const response = await startAuthentication({ optionsJSON: options });
      return api<Me>('/auth/login/two-factor/passkey', { method: 'POST', body: { challenge, response } });
    },
  });
}

// ----- the signed-in user's passkeys -----

export function usePasskeys() {
  return useQuery({ queryKey: PASSKEYS_KEY, queryFn: () => api<{ items: Passkey[] }>('/me/two-factor/passkeys') });
}

/** Registration options; once two-factor sign-in is on, only with the password or a code. */
export function usePasskeyOptions() {
  return useMutation({
    mutationFn: (proof: Proof | null) => api<PublicKeyCredentialCreationOptionsJSON>('/me/two-factor/passkeys/options', { method: 'POST', body: proof ?? {} }),
  });
}

/** Registers a passkey: with the options given (asked after a proof), else with new ones (two-factor sign-in off). */
export function useAddPasskey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ name, options }: { name: string; options: PublicKeyCredentialCreationOptionsJSON | null }) => {
      const optionsJSON = options ?? (await api<PublicKeyCredentialCreationOptionsJSON>('/me/two-factor/passkeys/options', { method: 'POST', body: {} }));
      const response = await startRegistration({ optionsJSON });
      return api<AddedPasskey>('/me/two-factor/passkeys', { method: 'POST', body: { name, response } });
    },
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: PASSKEYS_KEY }), qc.invalidateQueries({ queryKey: STATUS_KEY })]),
  });
}

export function useRemovePasskey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, proof }: { id: number; proof: Proof }) => api<void>(`/me/two-factor/passkeys/${id}`, { method: 'DELETE', body: proof }),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: PASSKEYS_KEY }), qc.invalidateQueries({ queryKey: STATUS_KEY })]),
  });
}

/** An error of a passkey step (the browser's prompt or the API), in the reader's language; null for other API errors. */
export function passkeyErrorText(error: unknown, t: TFunction): string | null {
  if (!error) return null;
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'auth.invalid_passkey':
      case 'passkey.invalid_response':
        return t('passkeys.errors.notAccepted');
      case 'passkey.already_registered':
        return t('passkeys.errors.alreadyRegistered');
      case 'passkey.not_started':
        return t('passkeys.errors.tryAgain');
      case 'auth.no_passkey':
        return t('passkeys.errors.none');
      default:
        return null;
    }
  }
  // The browser's own refusals (cancelled prompt, timeout, no WebAuthn here).
  if (error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) return t('passkeys.errors.cancelled');
  if (error instanceof Error && error.name === 'InvalidStateError') return t('passkeys.errors.alreadyRegistered');
  return t('passkeys.errors.unsupported');
}

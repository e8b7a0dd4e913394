import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type {
  LoginChallenge as LoginChallengeSchema,
  MeWithRecoveryCodes as MeWithRecoveryCodesSchema,
  TotpEnrolment as TotpEnrolmentSchema,
  TwoFactorStatus as TwoFactorStatusSchema,
} from '../../../../contract/two-factor.ts';
import { api, ApiError } from '../../app/api.ts';

export type LoginChallenge = z.infer<typeof LoginChallengeSchema>;
export type TotpEnrolment = z.infer<typeof TotpEnrolmentSchema>;
export type TwoFactorStatus = z.infer<typeof TwoFactorStatusSchema>;
/** Either the password or a current code from the app. */
export type Proof = { password: string } | { code: string };

// ----- sign-in -----

/** The second sign-in step; the caller lets the app in (see useEnterApp) once it has shown what it must. */
export function useSecondStep() {
  return useMutation({
    mutationFn: (body: { challenge: string; code: string }) =>
      api<z.infer<typeof MeWithRecoveryCodesSchema>>('/auth/login/two-factor', { method: 'POST', body }),
  });
}

/** Forced set-up at sign-in: the new seed of a set-up challenge (asked once per challenge). */
export function useSetupAtSignIn(challenge: string) {
  return useQuery({
    queryKey: ['login-setup', challenge],
    queryFn: () => api<TotpEnrolment>('/auth/login/two-factor/setup', { method: 'POST', body: { challenge } }),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });
}

/** Reloads the signed-in user: the app replaces the sign-in page. */
export function useEnterApp() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: ['me'] });
}

// ----- the signed-in user's own set-up -----

const STATUS_KEY = ['two-factor'];

export function useTwoFactorStatus() {
  return useQuery({ queryKey: STATUS_KEY, queryFn: () => api<TwoFactorStatus>('/me/two-factor') });
}

/** A new seed; once two-factor sign-in is on (passkeys), only with the password or a code. */
export function useStartEnrolment() {
  return useMutation({ mutationFn: (proof: Proof | null) => api<TotpEnrolment>('/me/two-factor/totp', { method: 'POST', body: proof ?? {} }) });
}

/** Recovery codes come back only when this turned two-factor sign-in on. */
export function useConfirmEnrolment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api<{ recoveryCodes?: string[] }>('/me/two-factor/totp/confirm', { method: 'POST', body: { code } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: STATUS_KEY }),
  });
}

export function useRegenerateRecoveryCodes() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (proof: Proof) => api<{ recoveryCodes: string[] }>('/me/two-factor/recovery-codes', { method: 'POST', body: proof }),
    onSuccess: () => qc.invalidateQueries({ queryKey: STATUS_KEY }),
  });
}

export function useDisableTwoFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (proof: Proof) => api<void>('/me/two-factor', { method: 'DELETE', body: proof }),
    // Turning it off removes the passkeys too.
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: STATUS_KEY }), qc.invalidateQueries({ queryKey: ['passkeys'] })]),
  });
}

/** An API error of the two-factor routes, in the reader's language. */
export function twoFactorErrorText(error: unknown, t: TFunction, recovery = false): string | null {
  if (!error) return null;
  if (!(error instanceof ApiError)) return t('common.error');
  switch (error.code) {
    case 'auth.invalid_code':
      return recovery ? t('twoFactor.errors.invalidRecovery') : t('twoFactor.errors.invalidCode');
    case 'auth.code_reused':
      return t('twoFactor.errors.codeReused');
    case 'auth.challenge_expired':
      return t('twoFactor.errors.expired');
    case 'auth.rate_limited':
      return t('twoFactor.errors.tooMany');
    case 'two_factor.required':
      return t('twoFactor.errors.required');
    case 'two_factor.invalid_proof':
      return error.field('password') ? t('twoFactor.errors.wrongPassword') : t('twoFactor.errors.invalidCode');
    default:
      return error.detail;
  }
}

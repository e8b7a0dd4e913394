import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { ApiToken as ApiTokenSchema, CreatedApiToken as CreatedApiTokenSchema, Session as SessionSchema } from '../../../../contract/auth.ts';
import { api, ApiError } from '../../app/api.ts';
import type { Lang } from '../../app/i18n.ts';

export type Session = z.infer<typeof SessionSchema>;
export type ApiToken = z.infer<typeof ApiTokenSchema>;
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>;

const SESSIONS = ['account', 'sessions'];
const TOKENS = ['account', 'api-tokens'];

/** The signed-in user's open sessions. */
export function useSessions() {
  return useQuery({ queryKey: SESSIONS, queryFn: ({ signal }) => api<{ items: Session[] }>('/me/sessions', { signal }).then((r) => r.items) });
}

export function useRevokeSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: SESSIONS }),
  });
}

export function useRevokeOtherSessions() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ sessionsEnded: number }>('/me/sessions/revoke-others', { method: 'POST' }),
    onSettled: () => qc.invalidateQueries({ queryKey: SESSIONS }),
  });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api<{ otherSessionsEnded: number }>('/me/password', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: SESSIONS }),
  });
}

/** The signed-in user's API tokens that still work. */
export function useApiTokens() {
  return useQuery({ queryKey: TOKENS, queryFn: ({ signal }) => api<{ items: ApiToken[] }>('/api-tokens', { signal }).then((r) => r.items) });
}

export function useCreateApiToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; readOnly: boolean; expiresAt?: string }) => api<CreatedApiToken>('/api-tokens', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: TOKENS }),
  });
}

export function useRevokeApiToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<void>(`/api-tokens/${id}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: TOKENS }),
  });
}

/** The user's own name and language. */
export function useSaveProfile(userId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; locale: Lang | null }) => api<unknown>(`/users/${userId}`, { method: 'PATCH', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['me'] }),
  });
}

/** Field messages and a general message of a failed request, in the user's language. */
export function accountErrors(error: unknown, t: TFunction): { fields: Partial<Record<string, string>>; general: string | null } {
  if (!error) return { fields: {}, general: null };
  if (!(error instanceof ApiError)) return { fields: {}, general: t('common.error') };
  if (error.status === 429) return { fields: {}, general: t('login.tooMany') };
  const fields: Partial<Record<string, string>> = {};
  for (const e of error.errors) {
    const field = e.path.split('.')[0] ?? '';
    const key = API_MESSAGES[e.message];
    fields[field] ??= key ? t(key) : e.message;
  }
  if (Object.keys(fields).length > 0) return { fields, general: null };
  if (error.status === 404) return { fields, general: t('account.errors.notFound') };
  if (error.status === 403) return { fields, general: t('admin.errors.forbidden') };
  return { fields, general: error.detail || t('common.error') };
}

// Field messages the account routes send (contract/auth.ts and the auth services), and their keys.
const API_MESSAGES: Record<string, string> = {
  'Wrong password': 'account.errors.wrongPassword',
  'At least 10 characters': 'account.errors.passwordLength',
  'Must be in the future': 'account.errors.future',
};

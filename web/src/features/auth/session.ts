import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../app/api.ts';
import { browserLanguage, chosenLanguage, forgetLanguageChoice, setLanguage, type Lang } from '../../app/i18n.ts';
import type { LoginChallenge } from './two-factor.ts';

export interface Me {
  id: number;
  email: string;
  name: string;
  role: 'requester' | 'agent' | 'manager' | 'admin';
  orgId: number | null;
  orgScope: number[];
  personId: number | null;
  locale: Lang | null;
  teamIds: number[];
  portalScope: 'own' | 'organization';
}

export const isStaff = (me: Me) => me.role !== 'requester';

/** The signed-in user, or null when signed out. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        const me = await api<Me>('/me');
        await applyLanguage(me);
        return me;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: Infinity,
  });
}

/** Language: the switch's choice, then the user's locale, then the organization's, then the browser's. */
async function applyLanguage(me: Me) {
  if (chosenLanguage()) return;
  let lang: Lang | null = me.locale;
  if (!lang && me.orgId) lang = await api<{ locale: Lang }>(`/organizations/${me.orgId}`).then((o) => o.locale).catch(() => null);
  setLanguage(lang ?? browserLanguage(), false);
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    // 200: the user, signed in; 202: a challenge for the second step of two-factor sign-in (no session yet).
    mutationFn: (body: { email: string; password: string }) => api<Me | LoginChallenge>('/auth/login', { method: 'POST', body }),
    onSuccess: async (answer) => {
      if ('challenge' in answer) return;
      await qc.invalidateQueries({ queryKey: ['me'] });
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/auth/logout', { method: 'POST' }),
    onSuccess: () => {
      forgetLanguageChoice();
      // ['me'] first, in place: its observer (the router) shows the sign-in page. Clearing the whole cache
      // first would leave that observer on a removed query, and the signed-out user on the app.
      qc.setQueryData(['me'], null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      qc.getMutationCache().clear();
    },
  });
}

import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { SsoErrorCode, SsoProviderSummary } from '../../../../contract/sso.ts';
import { api, qs } from '../../app/api.ts';

export type SsoProvider = z.infer<typeof SsoProviderSummary>;

/** Identity providers shown as buttons on the sign-in page. */
export function useSsoButtons() {
  return useQuery({ queryKey: ['sso', 'buttons'], queryFn: () => api<{ items: SsoProvider[] }>('/auth/sso/providers').then((r) => r.items), staleTime: 60_000 });
}

/** Identity providers for the domain of a typed e-mail (asked once the address looks complete). */
export function useSsoDiscovery(email: string) {
  const complete = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email);
  return useQuery({
    queryKey: ['sso', 'discover', email.toLowerCase()],
    queryFn: () => api<{ items: SsoProvider[] }>(`/auth/sso/discover${qs({ email })}`).then((r) => r.items),
    enabled: complete,
    staleTime: 60_000,
  });
}

/** The address that starts a sign-in with this provider and comes back to `returnTo`. */
export function ssoStartUrl(provider: SsoProvider, returnTo: string, email?: string): string {
  return `/api/v1/auth/sso/${provider.id}/start${qs({ returnTo, email })}`;
}

/**
 * The `?ssoError=` code a failed single sign-on came back with, taken out of the address bar (so that
 * a reload does not show it again), and the path to return to after signing in.
 */
export function takeSsoError(): { error: SsoErrorCode | 'unknown' | null; returnTo: string } {
  const url = new URL(window.location.href);
  const raw = url.searchParams.get('ssoError');
  url.searchParams.delete('ssoError');
  if (raw !== null) window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  const known = raw !== null && Object.hasOwn(KNOWN, raw);
  return { error: raw === null ? null : known ? (raw as SsoErrorCode) : 'unknown', returnTo: `${url.pathname}${url.search}` };
}

// Typed by the contract: a code added there fails the type check here until the page knows it (and its words).
const KNOWN: Record<SsoErrorCode, true> = { unknown_user: true, not_allowed: true, idp_error: true, expired: true };

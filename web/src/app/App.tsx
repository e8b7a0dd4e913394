import { type CSSVariablesResolver, MantineProvider, Notification, createTheme } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api.ts';
import { Routes } from './Routes.tsx';

// A session ended elsewhere (signed out from another device, a password change, an admin): any 401 leads
// back to the sign-in page, with nothing of the previous user left in the cache.
const signedOutElsewhere = (error: Error) => {
  if (!(error instanceof ApiError) || error.status !== 401) return;
  queryClient.setQueryData(['me'], null);
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
};

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: signedOutElsewhere }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

// Colors chosen for WCAG AA contrast on white.
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  defaultRadius: 'md',
  // Filled orange badges (P2) read better with dark text: white on orange-8 is under 4.5:1.
  luminanceThreshold: 0.2,
});

// Mantine's dimmed text (gray-6) is 3.3:1 on white and its placeholders lighter still; these reach 4.5:1 (WCAG AA).
// Light-variant blue text (the active nav link, light buttons) stays above 4.5:1 on its hover background too.
const cssVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': '#6c757d',
    '--mantine-color-blue-light-color': 'color-mix(in srgb, var(--mantine-color-blue-9), black 25%)',
    // Error text, and the value of an invalid input, in red-8 rather than red-6 (3.6:1).
    '--mantine-color-error': 'var(--mantine-color-red-8)',
  },
  dark: {},
});

// The server's Content-Security-Policy admits Mantine's <style> elements by this response's nonce (see
// server/src/http/security-headers.ts); browsers expose a nonce only through the `nonce` property.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';
const styleNonce = () => nonce;

export function App() {
  const { t } = useTranslation();
  // Every notification's close button is named, in the current language.
  const themed = useMemo(
    () => ({ ...theme, components: { ...theme.components, Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': t('common.close') } } }) } }),
    [t],
  );
  return (
    <MantineProvider theme={themed} cssVariablesResolver={cssVariables} getStyleNonce={styleNonce}>
      <Notifications position="top-right" />
      <QueryClientProvider client={queryClient}>
        <Routes />
      </QueryClientProvider>
    </MantineProvider>
  );
}

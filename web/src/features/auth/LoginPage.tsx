import { Alert, Anchor, Button, Center, Divider, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { LanguageSwitch } from '../../ui/LanguageSwitch.tsx';
import { useLogin } from './session.ts';
import { ssoStartUrl, takeSsoError, useSsoButtons, useSsoDiscovery } from './sso.ts';

export function LoginPage() {
  const { t } = useTranslation();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Read once: the address bar loses `?ssoError=` at once.
  const [{ error: ssoError, returnTo }] = useState(takeSsoError);
  const buttons = useSsoButtons();
  const [typed] = useDebouncedValue(email.trim(), 300);
  const discovery = useSsoDiscovery(typed);
  const [passwordAnyway, setPasswordAnyway] = useState(false);
  // An e-mail of a domain with single sign-on switches the form to that provider (a password stays possible).
  const matched = !passwordAnyway && typed === email.trim() ? (discovery.data?.[0] ?? null) : null;
  const error = login.error instanceof ApiError ? login.error : null;

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={400}>
        <Stack>
          <Title order={1} size="h2">
            {t('login.title')}
          </Title>
          {ssoError && (
            <Alert color="red" role="alert">
              {t(`login.sso.errors.${ssoError}`)}
            </Alert>
          )}
          {(buttons.data ?? []).map((p) => (
            <Button key={p.id} component="a" href={ssoStartUrl(p, returnTo)} variant="default">
              {t('login.sso.button', { name: p.name })}
            </Button>
          ))}
          {(buttons.data ?? []).length > 0 && <Divider label={t('login.sso.or')} labelPosition="center" />}
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (matched) window.location.assign(ssoStartUrl(matched, returnTo, email.trim()));
              else login.mutate({ email, password });
            }}
          >
            <Stack>
              {error && (
                <Alert color="red" role="alert">
                  {error.status === 429 ? t('login.tooMany') : error.status === 401 ? t('login.invalid') : error.detail}
                </Alert>
              )}
              <TextInput label={t('login.email')} type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
              {matched ? (
                <>
                  <Alert color="blue" role="status">
                    {t('login.sso.matched', { name: matched.name })}
                  </Alert>
                  <Button type="submit">{t('login.sso.continue', { name: matched.name })}</Button>
                  <Anchor component="button" type="button" size="sm" onClick={() => setPasswordAnyway(true)}>
                    {t('login.sso.usePassword')}
                  </Anchor>
                </>
              ) : (
                <>
                  <PasswordInput label={t('login.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
                  <Button type="submit" loading={login.isPending}>
                    {t('login.submit')}
                  </Button>
                </>
              )}
              <LanguageSwitch />
            </Stack>
          </form>
        </Stack>
      </Paper>
    </Center>
  );
}

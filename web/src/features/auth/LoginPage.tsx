import { Alert, Anchor, Button, Center, Divider, Loader, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { LanguageSwitch } from '../../ui/LanguageSwitch.tsx';
import { passkeyErrorText, usePasskeySignIn } from './passkeys.ts';
import { useLogin } from './session.ts';
import { ssoStartUrl, takeSsoError, useSsoButtons, useSsoDiscovery } from './sso.ts';
import { type LoginChallenge, twoFactorErrorText, useEnterApp, useSecondStep, useSetupAtSignIn } from './two-factor.ts';
import { OneTimeCodeInput, RecoveryCodesPanel, TotpEnrolmentPanel } from './TwoFactorSetup.tsx';

/** Where the sign-in stands: the password, then (two-factor sign-in) a code or a passkey, or a forced set-up. */
type Method = NonNullable<LoginChallenge['methods']>[number];
type Step = { kind: 'password' } | { kind: 'code'; challenge: string; methods: Method[] } | { kind: 'setup'; challenge: string };

export function LoginPage() {
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [email, setEmail] = useState('');
  const [expired, setExpired] = useState(false);
  const restart = (afterExpiry: boolean) => {
    setExpired(afterExpiry);
    setStep({ kind: 'password' });
  };

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={step.kind === 'setup' ? 560 : 400}>
        <Stack>
          {step.kind === 'password' && (
            <PasswordStep
              email={email}
              setEmail={setEmail}
              expired={expired}
              onChallenge={(answer) =>
                setStep(answer.twoFactorSetupRequired ? { kind: 'setup', challenge: answer.challenge } : { kind: 'code', challenge: answer.challenge, methods: answer.methods ?? ['totp', 'recovery'] })
              }
            />
          )}
          {step.kind === 'code' && <CodeStep challenge={step.challenge} methods={step.methods} onRestart={restart} />}
          {step.kind === 'setup' && <SetupStep challenge={step.challenge} email={email} onRestart={restart} />}
          <LanguageSwitch />
        </Stack>
      </Paper>
    </Center>
  );
}

function PasswordStep({
  email,
  setEmail,
  expired,
  onChallenge,
}: {
  email: string;
  setEmail: (v: string) => void;
  expired: boolean;
  onChallenge: (answer: LoginChallenge) => void;
}) {
  const { t } = useTranslation();
  const login = useLogin();
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
    <>
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
          else
            login.mutate(
              { email, password },
              { onSuccess: (answer) => void ('challenge' in answer && onChallenge(answer)) },
            );
        }}
      >
        <Stack>
          {error ? (
            <Alert color="red" role="alert">
              {error.status === 429 ? t('login.tooMany') : error.status === 401 ? t('login.invalid') : error.detail}
            </Alert>
          ) : (
            expired && (
              <Alert color="yellow" role="alert">
                {t('twoFactor.errors.expired')}
              </Alert>
            )
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
        </Stack>
      </form>
    </>
  );
}

/** The second step: a passkey, a code from the app, or a recovery code (whichever this user has). */
function CodeStep({ challenge, methods, onRestart }: { challenge: string; methods: Method[]; onRestart: (afterExpiry: boolean) => void }) {
  const { t } = useTranslation();
  const second = useSecondStep();
  const passkey = usePasskeySignIn();
  const enterApp = useEnterApp();
  const hasApp = methods.includes('totp');
  const [recovery, setRecovery] = useState(!hasApp);
  const [code, setCode] = useState('');
  const error = passkey.error ? (passkeyErrorText(passkey.error, t) ?? twoFactorErrorText(passkey.error, t)) : twoFactorErrorText(second.error, t, recovery);
  const usePasskey = () => {
    second.reset();
    passkey.mutate(challenge, {
      onSuccess: () => void enterApp(),
      onError: (e) => {
        if (e instanceof ApiError && e.code === 'auth.challenge_expired') onRestart(true);
      },
    });
  };
  const submit = () => {
    passkey.reset();
    second.mutate(
      { challenge, code: code.trim() },
      {
        onSuccess: () => void enterApp(),
        onError: (e) => {
          if (e instanceof ApiError && e.code === 'auth.challenge_expired') onRestart(true);
        },
      },
    );
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack>
        <Title order={1} size="h2">
          {t('twoFactor.login.codeTitle')}
        </Title>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {methods.includes('passkey') && (
          <>
            <Text>{t('passkeys.login.help')}</Text>
            <Button variant={hasApp ? 'default' : 'filled'} onClick={usePasskey} loading={passkey.isPending}>
              {t('passkeys.login.use')}
            </Button>
            <Divider label={t('passkeys.login.orCode')} labelPosition="center" />
          </>
        )}
        <Text>{recovery ? t('twoFactor.login.recoveryHelp') : t('twoFactor.login.codeHelp')}</Text>
        {recovery ? (
          <TextInput key="recovery" label={t('twoFactor.login.recoveryCode')} autoComplete="off" spellCheck={false} autoFocus required ff="monospace" value={code} onChange={(e) => setCode(e.currentTarget.value)} />
        ) : (
          <OneTimeCodeInput key="code" label={t('twoFactor.login.code')} autoFocus required value={code} onChange={(e) => setCode(e.currentTarget.value)} />
        )}
        <Button type="submit" loading={second.isPending}>
          {t('twoFactor.login.verify')}
        </Button>
        {hasApp && (
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              setRecovery((r) => !r);
              setCode('');
              second.reset();
            }}
          >
            {recovery ? t('twoFactor.login.useApp') : t('twoFactor.login.useRecovery')}
          </Anchor>
        )}
        <Anchor component="button" type="button" size="sm" onClick={() => onRestart(false)}>
          {t('twoFactor.login.back')}
        </Anchor>
      </Stack>
    </form>
  );
}

/** Staff who must use two-factor sign-in and have not set it up do it here, before their first session. */
function SetupStep({ challenge, email, onRestart }: { challenge: string; email: string; onRestart: (afterExpiry: boolean) => void }) {
  const { t } = useTranslation();
  const enrolment = useSetupAtSignIn(challenge);
  const second = useSecondStep();
  const enterApp = useEnterApp();
  const expiredError = (e: unknown) => e instanceof ApiError && e.code === 'auth.challenge_expired';

  if (second.data?.recoveryCodes) {
    return <RecoveryCodesPanel codes={second.data.recoveryCodes} email={email} doneLabel={t('twoFactor.login.continue')} onDone={() => void enterApp()} />;
  }
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('twoFactor.login.setupTitle')}
      </Title>
      <Text>{t('twoFactor.login.setupHelp')}</Text>
      {enrolment.isPending ? (
        <Loader role="status" aria-label={t('twoFactor.login.setupLoading')} />
      ) : enrolment.isError ? (
        <Alert color="red" role="alert">
          {twoFactorErrorText(enrolment.error, t)}
        </Alert>
      ) : (
        <TotpEnrolmentPanel
          enrolment={enrolment.data}
          pending={second.isPending}
          error={twoFactorErrorText(second.error, t)}
          onConfirm={(code) => second.mutate({ challenge, code }, { onError: (e) => expiredError(e) && onRestart(true) })}
        />
      )}
      <Anchor component="button" type="button" size="sm" onClick={() => onRestart(expiredError(enrolment.error))}>
        {t('twoFactor.login.back')}
      </Anchor>
    </Stack>
  );
}

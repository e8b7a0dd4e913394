import { Alert, Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format.ts';
import type { Me } from '../auth/session.ts';
import {
  type TotpEnrolment,
  twoFactorErrorText,
  useConfirmEnrolment,
  useDisableTwoFactor,
  useRegenerateRecoveryCodes,
  useStartEnrolment,
  useTwoFactorStatus,
} from '../auth/two-factor.ts';
import { RecoveryCodesPanel, TotpEnrolmentPanel } from '../auth/TwoFactorSetup.tsx';
import { PasskeysPanel } from './PasskeysPanel.tsx';
import { ProofForm } from './ProofForm.tsx';

const FEW_CODES = 3;

type Mode = { kind: 'idle' } | { kind: 'prove-for-app' } | { kind: 'enrol'; enrolment: TotpEnrolment } | { kind: 'regenerate' } | { kind: 'disable' };

/** On /account: two-factor sign-in on or off, set-up with an authenticator app, recovery codes. */
export function TwoFactorSection({ me }: { me: Me }) {
  const { t } = useTranslation();
  const status = useTwoFactorStatus();
  const start = useStartEnrolment();
  const confirm = useConfirmEnrolment();
  const regenerate = useRegenerateRecoveryCodes();
  const disable = useDisableTwoFactor();
  const [mode, setMode] = useState<Mode>({ kind: 'idle' });
  const [codes, setCodes] = useState<string[] | null>(null);
  const idle = () => {
    for (const m of [start, confirm, regenerate, disable]) m.reset();
    setMode({ kind: 'idle' });
  };

  let body;
  if (status.isPending) {
    body = <Loader role="status" aria-label={t('common.loading')} />;
  } else if (status.isError) {
    body = (
      <Alert color="red" role="alert">
        {twoFactorErrorText(status.error, t)}
      </Alert>
    );
  } else if (codes) {
    body = <RecoveryCodesPanel codes={codes} email={me.email} doneLabel={t('twoFactor.recovery.done')} onDone={() => setCodes(null)} />;
  } else if (mode.kind === 'enrol') {
    body = (
      <TotpEnrolmentPanel
        enrolment={mode.enrolment}
        pending={confirm.isPending}
        error={twoFactorErrorText(confirm.error, t)}
        onCancel={idle}
        onConfirm={(code) =>
          confirm.mutate(code, {
            onSuccess: (r) => {
              idle();
              notifications.show({ color: 'green', message: t('twoFactor.account.enabled') });
              // Only when this turned two-factor sign-in on: with passkeys, the recovery codes stay.
              if (r.recoveryCodes) setCodes(r.recoveryCodes);
            },
          })
        }
      />
    );
  } else if (mode.kind === 'prove-for-app') {
    body = (
      <ProofForm
        title={t('passkeys.account.addApp')}
        help={t('passkeys.account.appProofHelp')}
        submitLabel={t('passkeys.account.continue')}
        allowCode={false}
        pending={start.isPending}
        error={twoFactorErrorText(start.error, t)}
        onCancel={idle}
        onSubmit={(proof) => start.mutate(proof, { onSuccess: (enrolment) => setMode({ kind: 'enrol', enrolment }) })}
      />
    );
  } else if (mode.kind === 'regenerate') {
    body = (
      <ProofForm
        title={t('twoFactor.account.regenerateTitle')}
        help={t('twoFactor.account.regenerateHelp')}
        submitLabel={t('twoFactor.account.regenerate')}
        allowCode={status.data?.totp}
        pending={regenerate.isPending}
        error={twoFactorErrorText(regenerate.error, t)}
        onCancel={idle}
        onSubmit={(proof) =>
          regenerate.mutate(proof, {
            onSuccess: (r) => {
              idle();
              setCodes(r.recoveryCodes);
            },
          })
        }
      />
    );
  } else if (mode.kind === 'disable') {
    body = (
      <ProofForm
        title={t('twoFactor.account.disableTitle')}
        help={t('twoFactor.account.disableHelp')}
        submitLabel={t('twoFactor.account.disable')}
        allowCode={status.data?.totp}
        danger
        pending={disable.isPending}
        error={twoFactorErrorText(disable.error, t)}
        onCancel={idle}
        onSubmit={(proof) =>
          disable.mutate(proof, {
            onSuccess: () => {
              idle();
              notifications.show({ color: 'green', message: t('twoFactor.account.disabled') });
            },
          })
        }
      />
    );
  } else {
    const s = status.data;
    body = (
      <Stack>
        <Group gap="sm">
          {/* Darkened text, as the status badges: enough contrast on the light background (WCAG AA). */}
          <Badge color={s.enabled ? 'green' : 'gray'} variant="light" size="lg" c={`color-mix(in srgb, var(--mantine-color-${s.enabled ? 'green' : 'gray'}-9), black 30%)`}>
            {s.enabled ? t('twoFactor.account.on') : t('twoFactor.account.off')}
          </Badge>
          {s.enabled && s.enabledAt && <Text size="sm">{t('twoFactor.account.since', { date: formatDateTime(s.enabledAt) })}</Text>}
          {s.enabled && <Text size="sm">{t('twoFactor.account.codesLeft', { count: s.recoveryCodesLeft })}</Text>}
        </Group>
        {s.enabled && s.recoveryCodesLeft <= FEW_CODES && (
          <Alert color="yellow" role="status">
            {t('twoFactor.account.fewCodesLeft')}
          </Alert>
        )}
        {s.required && <Text size="sm">{t('twoFactor.account.required')}</Text>}
        {start.error ? (
          <Alert color="red" role="alert">
            {twoFactorErrorText(start.error, t)}
          </Alert>
        ) : null}
        <Group>
          {s.enabled && (
            <>
              <Button variant="default" onClick={() => setMode({ kind: 'regenerate' })}>
                {t('twoFactor.account.regenerate')}
              </Button>
              {!s.required && (
                <Button variant="default" color="red" onClick={() => setMode({ kind: 'disable' })}>
                  {t('twoFactor.account.disable')}
                </Button>
              )}
            </>
          )}
          {!s.totp && (
            <Button
              loading={start.isPending}
              onClick={() =>
                // Once two-factor sign-in is on (passkeys), the password first: a session alone must not add an app.
                s.enabled ? setMode({ kind: 'prove-for-app' }) : start.mutate(null, { onSuccess: (enrolment) => setMode({ kind: 'enrol', enrolment }) })
              }
            >
              {s.enabled ? t('passkeys.account.addApp') : t('twoFactor.account.enable')}
            </Button>
          )}
        </Group>
        <PasskeysPanel status={s} onRecoveryCodes={setCodes} />
      </Stack>
    );
  }

  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="two-factor-title">
      <Stack>
        <div>
          <Title order={2} size="h3" id="two-factor-title">
            {t('twoFactor.account.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('twoFactor.account.intro')}
          </Text>
        </div>
        {body}
      </Stack>
    </Paper>
  );
}

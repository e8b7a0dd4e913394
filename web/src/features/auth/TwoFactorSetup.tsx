import { Alert, Button, Checkbox, CopyButton, Group, Image, List, Stack, Text, TextInput, type TextInputProps, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TotpEnrolment } from './two-factor.ts';

/** The 6-digit code field: numeric keypad on phones, and the browser may fill it from an SMS or app. */
export function OneTimeCodeInput(props: TextInputProps) {
  return <TextInput inputMode="numeric" autoComplete="one-time-code" maxLength={7} spellCheck={false} {...props} />;
}

/**
 * Adding Vigie to an authenticator app: the QR code, the key for manual entry, and the first code,
 * which turns two-factor sign-in on.
 */
export function TotpEnrolmentPanel({
  enrolment,
  onConfirm,
  onCancel,
  pending,
  error,
}: {
  enrolment: TotpEnrolment;
  onConfirm: (code: string) => void;
  onCancel?: () => void;
  pending: boolean;
  error: string | null;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [formatError, setFormatError] = useState<string | null>(null);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const typed = code.replace(/\s/g, '');
        if (!/^\d{6}$/.test(typed)) return setFormatError(t('twoFactor.errors.codeFormat'));
        setFormatError(null);
        onConfirm(typed);
      }}
    >
      <Stack>
        <Text>{t('twoFactor.setup.scan')}</Text>
        <Image src={enrolment.qrDataUrl} alt={t('twoFactor.setup.qrAlt')} w={200} h={200} fit="contain" bg="white" />
        <Text size="sm" c="dimmed">
          {t('twoFactor.setup.manual')}
        </Text>
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput label={t('twoFactor.setup.secret')} value={enrolment.secret} readOnly styles={{ input: { fontFamily: 'monospace' } }} flex={1} onFocus={(e) => e.currentTarget.select()} />
          <CopyButton value={enrolment.secret}>
            {({ copied, copy }) => (
              <Button variant="default" onClick={copy}>
                {copied ? t('twoFactor.recovery.copied') : t('twoFactor.setup.copySecret')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text>{t('twoFactor.setup.confirmHelp')}</Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <OneTimeCodeInput label={t('twoFactor.login.code')} required value={code} onChange={(e) => setCode(e.currentTarget.value)} error={formatError} w={280} />
        <Group>
          <Button type="submit" loading={pending}>
            {t('twoFactor.setup.confirm')}
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('twoFactor.setup.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** Recovery codes, shown once: copy, download, and an "I saved them" confirmation before going on. */
export function RecoveryCodesPanel({ codes, email, doneLabel, onDone }: { codes: string[]; email: string; doneLabel: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  const text = `${t('twoFactor.recovery.fileHeader', { email })}\n\n${codes.join('\n')}\n`;
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'vigie-recovery-codes.txt';
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Stack>
      <Title order={2} size="h3">
        {t('twoFactor.recovery.title')}
      </Title>
      <Text>{t('twoFactor.recovery.help')}</Text>
      <List aria-label={t('twoFactor.recovery.listLabel')} ff="monospace" fz="lg" spacing={4} listStyleType="none" style={{ columns: 2 }}>
        {codes.map((c) => (
          <List.Item key={c}>{c}</List.Item>
        ))}
      </List>
      <Group>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? t('twoFactor.recovery.copied') : t('twoFactor.recovery.copy')}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={download}>
          {t('twoFactor.recovery.download')}
        </Button>
      </Group>
      <Checkbox label={t('twoFactor.recovery.saved')} checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />
      <Group>
        <Button disabled={!saved} onClick={onDone}>
          {doneLabel}
        </Button>
      </Group>
    </Stack>
  );
}

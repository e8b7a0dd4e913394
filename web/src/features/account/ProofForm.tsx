import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Proof } from '../auth/two-factor.ts';
import { OneTimeCodeInput } from '../auth/TwoFactorSetup.tsx';

/** Re-proves who you are before a sensitive change: the password, or a current code from the app. */
export function ProofForm({
  title,
  help,
  submitLabel,
  danger,
  pending,
  error,
  onSubmit,
  onCancel,
  allowCode = true,
}: {
  title: string;
  help: string;
  submitLabel: string;
  danger?: boolean;
  pending: boolean;
  error: string | null;
  onSubmit: (proof: Proof) => void;
  onCancel: () => void;
  /** Offer a code from the app (only to users who have one). */
  allowCode?: boolean;
}) {
  const { t } = useTranslation();
  const [useCode, setUseCode] = useState(false);
  const [value, setValue] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(useCode ? { code: value.replace(/\s/g, '') } : { password: value });
      }}
    >
      <Stack>
        <Title order={3} size="h4">
          {title}
        </Title>
        <Text size="sm">{help}</Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {useCode ? (
          <OneTimeCodeInput key="code" label={t('twoFactor.account.proofCode')} required autoFocus value={value} onChange={(e) => setValue(e.currentTarget.value)} w={280} />
        ) : (
          <PasswordInput key="password" label={t('twoFactor.account.proofPassword')} autoComplete="current-password" required autoFocus value={value} onChange={(e) => setValue(e.currentTarget.value)} maw={320} />
        )}
        {allowCode && (
          <Anchor
            component="button"
            type="button"
            size="sm"
            w="fit-content"
            onClick={() => {
              setUseCode((c) => !c);
              setValue('');
            }}
          >
            {useCode ? t('twoFactor.account.usePassword') : t('twoFactor.account.useCode')}
          </Anchor>
        )}
        <Group>
          <Button type="submit" color={danger ? 'red' : undefined} loading={pending}>
            {submitLabel}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('twoFactor.setup.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

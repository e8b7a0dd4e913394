import { Alert, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format.ts';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { type Passkey, passkeyErrorText, useAddPasskey, usePasskeyOptions, usePasskeys, useRemovePasskey } from '../auth/passkeys.ts';
import { type TwoFactorStatus, twoFactorErrorText } from '../auth/two-factor.ts';
import { ProofForm } from './ProofForm.tsx';

/** On /account, inside two-factor sign-in: the user's passkeys (security keys, phone or computer), add and remove. */
export function PasskeysPanel({ status, onRecoveryCodes }: { status: TwoFactorStatus; onRecoveryCodes: (codes: string[]) => void }) {
  const { t } = useTranslation();
  const passkeys = usePasskeys();
  const add = useAddPasskey();
  const prove = usePasskeyOptions();
  const remove = useRemovePasskey();
  /** Adding: first the proof when two-factor sign-in is on (it yields the options), then the name. */
  const [adding, setAdding] = useState<false | 'proof' | { options: PublicKeyCredentialCreationOptionsJSON | null }>(false);
  const [name, setName] = useState('');
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const items = passkeys.data?.items ?? [];
  const lastFactor = !status.totp && items.length === 1;

  const stopAdding = () => {
    add.reset();
    prove.reset();
    setAdding(false);
  };

  if (adding === 'proof') {
    return (
      <ProofForm
        title={t('passkeys.account.add')}
        help={t('passkeys.account.proofHelp')}
        submitLabel={t('passkeys.account.continue')}
        allowCode={status.totp}
        pending={prove.isPending}
        error={twoFactorErrorText(prove.error, t)}
        onCancel={stopAdding}
        onSubmit={(proof) => prove.mutate(proof, { onSuccess: (options) => setAdding({ options }) })}
      />
    );
  }

  if (removing) {
    return (
      <ProofForm
        title={t('passkeys.account.removeTitle', { name: removing.name })}
        help={lastFactor ? t('passkeys.account.removeLastHelp') : t('passkeys.account.removeHelp')}
        submitLabel={t('passkeys.account.remove')}
        danger
        allowCode={status.totp}
        pending={remove.isPending}
        error={twoFactorErrorText(remove.error, t)}
        onCancel={() => {
          remove.reset();
          setRemoving(null);
        }}
        onSubmit={(proof) =>
          remove.mutate(
            { id: removing.id, proof },
            {
              onSuccess: () => {
                setRemoving(null);
                notifications.show({ color: 'green', message: t('passkeys.account.removed', { name: removing.name }) });
              },
            },
          )
        }
      />
    );
  }

  return (
    <Stack component="section" aria-labelledby="passkeys-title" gap="sm">
      <Title order={3} size="h4" id="passkeys-title">
        {t('passkeys.account.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('passkeys.account.intro')}
      </Text>
      {passkeys.isError && (
        <Alert color="red" role="alert">
          {twoFactorErrorText(passkeys.error, t)}
        </Alert>
      )}
      {items.length === 0 ? (
        passkeys.isSuccess && <Text size="sm">{t('passkeys.account.none')}</Text>
      ) : (
        <Table aria-labelledby="passkeys-title">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('passkeys.account.name')}</Table.Th>
              <Table.Th>{t('passkeys.account.added')}</Table.Th>
              <Table.Th>{t('passkeys.account.lastUsed')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>{formatDateTime(p.createdAt)}</Table.Td>
                <Table.Td>{p.lastUsedAt ? formatDateTime(p.lastUsedAt) : t('passkeys.account.never')}</Table.Td>
                <Table.Td>
                  {!(lastFactor && status.required) && (
                    <Button size="xs" variant="default" color="red" onClick={() => setRemoving(p)} aria-label={t('passkeys.account.removeNamed', { name: p.name })}>
                      {t('passkeys.account.remove')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {add.error ? (
        <Alert color="red" role="alert">
          {passkeyErrorText(add.error, t) ?? twoFactorErrorText(add.error, t)}
        </Alert>
      ) : null}
      {adding ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate({ name: name.trim(), options: adding.options }, {
              onSuccess: (r) => {
                setAdding(false);
                setName('');
                notifications.show({ color: 'green', message: t('passkeys.account.addedNotice', { name: r.passkey.name }) });
                if (r.recoveryCodes) onRecoveryCodes(r.recoveryCodes);
              },
            });
          }}
        >
          <Stack gap="sm">
            <TextInput label={t('passkeys.account.nameLabel')} description={t('passkeys.account.nameHelp')} required maxLength={100} autoFocus value={name} onChange={(e) => setName(e.currentTarget.value)} maw={320} />
            <Group>
              <Button type="submit" loading={add.isPending}>
                {t('passkeys.account.register')}
              </Button>
              <Button variant="default" onClick={stopAdding}>
                {t('twoFactor.setup.cancel')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Group>
          <Button variant="default" onClick={() => setAdding(status.enabled ? 'proof' : { options: null })}>
            {t('passkeys.account.add')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

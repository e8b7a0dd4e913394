import { Alert, Badge, Button, Center, CopyButton, Group, Loader, Modal, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format.ts';
import { accountErrors, type ApiToken, type CreatedApiToken, useApiTokens, useCreateApiToken, useRevokeApiToken } from './api.ts';
import { Section } from './Section.tsx';

/** API tokens for scripts and integrations: created (shown once), listed, revoked after a confirmation. */
export function ApiTokensSection() {
  const { t } = useTranslation();
  const tokens = useApiTokens();
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  return (
    <Section title={t('account.tokens.title')} description={t('account.tokens.help')}>
      {created ? <NewToken token={created} onDone={() => setCreated(null)} /> : <CreateTokenForm onCreated={setCreated} />}
      {tokens.isPending ? (
        <Center p="md">
          <Loader role="status" aria-label={t('common.loading')} />
        </Center>
      ) : tokens.isError ? (
        <Alert color="red" role="alert">
          {accountErrors(tokens.error, t).general}
        </Alert>
      ) : tokens.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('account.tokens.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" aria-label={t('account.tokens.listLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('account.tokens.name')}</Table.Th>
                <Table.Th scope="col">{t('account.tokens.access')}</Table.Th>
                <Table.Th scope="col">{t('account.tokens.expires')}</Table.Th>
                <Table.Th scope="col">{t('account.tokens.lastUsed')}</Table.Th>
                <Table.Th scope="col">{t('account.tokens.created')}</Table.Th>
                <Table.Th scope="col">{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.data.map((token) => (
                <Table.Tr key={token.id} data-testid="token-row">
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {token.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={token.readOnly ? 'gray' : 'blue'}>
                      {token.readOnly ? t('account.tokens.readOnly') : t('account.tokens.readWrite')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{token.expiresAt ? formatDateTime(token.expiresAt) : t('account.tokens.never')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('account.tokens.neverUsed')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(token.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" color="red" onClick={() => setRevoking(token)} aria-label={t('account.tokens.revokeNamed', { name: token.name })}>
                      {t('account.tokens.revoke')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {revoking && <RevokeTokenDialog token={revoking} onClose={() => setRevoking(null)} />}
    </Section>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const { t } = useTranslation();
  const create = useCreateApiToken();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState('');
  const [readOnly, setReadOnly] = useState(false);
  const [expires, setExpires] = useState('');
  const [clientErrors, setClientErrors] = useState<{ name?: string; expiresAt?: string }>({});
  const server = accountErrors(create.error, t);
  const errors = { ...server.fields, ...clientErrors };
  const today = localDate(new Date());
  const focusFirstError = () => requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  const edited = () => {
    setClientErrors({});
    if (create.error) create.reset();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = {
      name: name.trim() === '' ? t('admin.errors.required') : undefined,
      expiresAt: expires !== '' && expires < today ? t('account.errors.future') : undefined,
    };
    setClientErrors(found);
    if (found.name || found.expiresAt) return focusFirstError();
    // An expiry date means "until the end of that day", in the user's time zone.
    const expiresAt = expires === '' ? undefined : new Date(`${expires}T23:59:59.999`).toISOString();
    create.mutate(
      { name: name.trim(), readOnly, expiresAt },
      {
        onSuccess: (token) => {
          setName('');
          setReadOnly(false);
          setExpires('');
          onCreated(token);
        },
        onError: focusFirstError,
      },
    );
  };

  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-label={t('account.tokens.create')}>
      <Stack gap="sm">
        {server.general && (
          <Alert color="red" role="alert">
            {server.general}
          </Alert>
        )}
        <Group align="flex-start" gap="md">
          <TextInput
            label={t('account.tokens.name')}
            description={t('account.tokens.nameHelp')}
            required
            maxLength={100}
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              edited();
            }}
            error={errors.name}
            w={260}
          />
          <TextInput
            type="date"
            label={t('account.tokens.expiresOn')}
            description={t('account.tokens.expiresHelp')}
            min={today}
            value={expires}
            onChange={(e) => {
              setExpires(e.currentTarget.value);
              edited();
            }}
            error={errors.expiresAt}
            w={220}
          />
        </Group>
        <Switch label={t('account.tokens.readOnly')} description={t('account.tokens.readOnlyHelp')} checked={readOnly} onChange={(e) => setReadOnly(e.currentTarget.checked)} />
        <Group>
          <Button type="submit" loading={create.isPending}>
            {t('account.tokens.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The secret, once: a copy button and a clear warning that it will never be shown again. */
function NewToken({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    // The title inside, in the text color: Mantine's yellow title is below WCAG AA on its background.
    <Alert color="yellow" role="status">
      <Stack gap="sm">
        <Text size="sm" fw={700}>
          {t('account.tokens.createdTitle', { name: token.name })}
        </Text>
        <Text size="sm" fw={500}>
          {t('account.tokens.shownOnce')}
        </Text>
        <Group align="flex-end" gap="sm" wrap="nowrap">
          <TextInput
            label={t('account.tokens.secret')}
            value={token.token}
            readOnly
            onFocus={(e) => e.currentTarget.select()}
            styles={{ input: { fontFamily: 'ui-monospace, monospace' } }}
            style={{ flex: 1 }}
            data-testid="new-token"
          />
          <CopyButton value={token.token}>
            {({ copied, copy }) => (
              <Button onClick={copy}>
                {copied ? t('account.tokens.copied') : t('account.tokens.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="sm">{t('account.tokens.usage')}</Text>
        <Group>
          <Button variant="default" onClick={onDone}>
            {t('account.tokens.done')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function RevokeTokenDialog({ token, onClose }: { token: ApiToken; onClose: () => void }) {
  const { t } = useTranslation();
  const revoke = useRevokeApiToken();
  const error = accountErrors(revoke.error, t).general;
  return (
    <Modal opened onClose={onClose} title={t('account.tokens.revokeTitle', { name: token.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack>
        <Text size="sm">{t('account.tokens.revokeWarning')}</Text>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={revoke.isPending}
            onClick={() =>
              revoke.mutate(token.id, {
                onSuccess: () => {
                  notifications.show({ color: 'green', message: t('account.tokens.revoked', { name: token.name }) });
                  onClose();
                },
              })
            }
          >
            {t('account.tokens.revokeConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** YYYY-MM-DD of a date in the browser's time zone. */
function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

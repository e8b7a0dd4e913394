import { Alert, Badge, Button, Center, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format.ts';
import { accountErrors, type Session, useRevokeOtherSessions, useRevokeSession, useSessions } from './api.ts';
import { Section } from './Section.tsx';
import { describeUserAgent } from './user-agent.ts';

/** Where the user is signed in: this device first, then the others, each of which can be signed out. */
export function SessionsSection() {
  const { t } = useTranslation();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const revokeOthers = useRevokeOtherSessions();
  const items = [...(sessions.data ?? [])].sort((a, b) => Number(b.current) - Number(a.current));
  const others = items.filter((s) => !s.current).length;
  const failed = (e: unknown) => notifications.show({ color: 'red', message: accountErrors(e, t).general ?? t('common.error') });

  return (
    <Section title={t('account.sessions.title')} description={t('account.sessions.help')}>
      {sessions.isPending ? (
        <Center p="md">
          <Loader role="status" aria-label={t('common.loading')} />
        </Center>
      ) : sessions.isError ? (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{accountErrors(sessions.error, t).general}</Text>
            <Button size="xs" variant="white" onClick={() => void sessions.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" aria-label={t('account.sessions.title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('account.sessions.device')}</Table.Th>
                <Table.Th scope="col">{t('account.sessions.address')}</Table.Th>
                <Table.Th scope="col">{t('account.sessions.lastSeen')}</Table.Th>
                <Table.Th scope="col">{t('account.sessions.signedIn')}</Table.Th>
                <Table.Th scope="col">{t('admin.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((s) => (
                <Table.Tr key={s.id} data-testid="session-row">
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm" fw={500}>
                        {deviceName(s, t)}
                      </Text>
                      {s.current && (
                        <Badge variant="light" color="blue">
                          {t('account.sessions.thisDevice')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{s.ip ?? t('account.sessions.unknownAddress')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(s.lastSeenAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(s.createdAt)}</Text>
                    <Text size="xs" c="dimmed">
                      {t(`account.sessions.method.${s.method}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {!s.current && (
                      <Button
                        size="xs"
                        variant="light"
                        color="red"
                        loading={revoke.isPending && revoke.variables === s.id}
                        onClick={() =>
                          revoke.mutate(s.id, {
                            onSuccess: () => notifications.show({ color: 'green', message: t('account.sessions.revoked', { device: deviceName(s, t) }) }),
                            onError: failed,
                          })
                        }
                        aria-label={t('account.sessions.revokeNamed', { device: deviceName(s, t), address: s.ip ?? t('account.sessions.unknownAddress') })}
                      >
                        {t('account.sessions.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Stack gap={4} align="flex-start">
        <Button
          variant="default"
          disabled={others === 0}
          loading={revokeOthers.isPending}
          onClick={() =>
            revokeOthers.mutate(undefined, {
              onSuccess: (r) => notifications.show({ color: 'green', message: t('account.sessions.othersRevoked', { count: r.sessionsEnded }) }),
              onError: failed,
            })
          }
        >
          {t('account.sessions.revokeOthers')}
        </Button>
        {others === 0 && !sessions.isPending && (
          <Text size="sm" c="dimmed">
            {t('account.sessions.noOthers')}
          </Text>
        )}
      </Stack>
    </Section>
  );
}

/** "Firefox on Linux", in the user's language. */
function deviceName(s: Session, t: TFunction): string {
  const { browser, os } = describeUserAgent(s.userAgent);
  if (browser && os) return t('account.sessions.deviceName', { browser, os });
  return browser ?? os ?? t('account.sessions.unknownDevice');
}

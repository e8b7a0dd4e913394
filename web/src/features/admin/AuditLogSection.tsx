import { Alert, Button, Center, Code, Group, List, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, AuditTargetType } from '../../../../contract/audit.ts';
import { api, ApiError, qs } from '../../app/api.ts';
import { formatDateTime } from '../../app/format.ts';
import { fetchAll, type User } from './api.ts';
import { changeInWords, dayRange, shownChanges, type Words } from './audit-values.ts';
import { readableDimmed } from './DirectoryList.tsx';
import { useOrganizationNames } from './fields.tsx';
import { shortDuration, summarizeHours, type WorkingInterval } from './sla-values.ts';

// Every kind of configuration the log holds, in the order of the "what" filter (checked against the contract).
const TARGET_TYPES = Object.keys({
  user: 0,
  organization: 0,
  team: 0,
  service: 0,
  calendar: 0,
  sla_policy: 0,
  settings: 0,
  identity_provider: 0,
  mailbox: 0,
  integration: 0,
} satisfies Record<AuditTargetType, 0>) as AuditTargetType[];

interface Filters {
  actorId: string | null;
  aggregateType: string | null;
  fromDay: string;
  toDay: string;
}

/** Admins: who changed which configuration, when and from where; filters, "load more" and a CSV export. */
export function AuditLogSection() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({ actorId: null, aggregateType: null, fromDay: '', toDay: '' });
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const query = useMemo(
    () => ({ actorId: filters.actorId ?? undefined, aggregateType: filters.aggregateType ?? undefined, ...dayRange(filters.fromDay, filters.toDay), q: q || undefined }),
    [filters, q],
  );
  const badRange = query.from !== undefined && query.to !== undefined && query.from >= query.to;
  const log = useInfiniteQuery({
    queryKey: ['admin', 'audit-log', query],
    queryFn: ({ pageParam, signal }) => api<{ items: AuditEntry[]; nextCursor: string | null }>(`/audit-log${qs({ ...query, limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: !badRange,
  });
  const users = useQuery({ queryKey: ['admin', 'users', 'all'], queryFn: () => fetchAll<User>('/users', {}), staleTime: 60_000 });
  const words = useWords(users.data);
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  useEffect(() => {
    document.title = `${t('audit.title')} · Vigie`;
  }, [t]);

  return (
    <Stack style={readableDimmed}>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1} size="h2">
            {t('audit.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('audit.intro')}
          </Text>
        </Stack>
        {badRange ? (
          <Button variant="default" disabled>
            {t('audit.export')}
          </Button>
        ) : (
          <Button component="a" variant="default" href={`/api/v1/audit-log/export${qs({ format: 'csv', ...query })}`} download>
            {t('audit.export')}
          </Button>
        )}
      </Group>

      <Group align="flex-end" gap="sm" role="search" aria-label={t('admin.filters')}>
        <TextInput label={t('common.search')} type="search" value={search} onChange={(e) => setSearch(e.currentTarget.value)} placeholder={t('audit.searchPlaceholder')} w={220} />
        <Select
          label={t('audit.who')}
          placeholder={t('audit.anyone')}
          searchable
          clearable
          nothingFoundMessage={t('admin.nothingFound')}
          data={(users.data ?? []).map((u) => ({ value: String(u.id), label: `${u.name} (${u.email})` }))}
          value={filters.actorId}
          onChange={(v) => set({ actorId: v })}
          w={280}
        />
        <Select
          label={t('audit.what')}
          placeholder={t('audit.anything')}
          clearable
          data={TARGET_TYPES.map((type) => ({ value: type, label: t(`audit.targets.${type}`) }))}
          value={filters.aggregateType}
          onChange={(v) => set({ aggregateType: v })}
          w={220}
        />
        <TextInput type="date" label={t('audit.from')} value={filters.fromDay} max={filters.toDay || undefined} onChange={(e) => set({ fromDay: e.currentTarget.value })} />
        <TextInput
          type="date"
          label={t('audit.to')}
          value={filters.toDay}
          min={filters.fromDay || undefined}
          onChange={(e) => set({ toDay: e.currentTarget.value })}
          error={badRange ? t('audit.badRange') : undefined}
        />
      </Group>

      {badRange ? null : log.isPending ? (
        <Center p="xl">
          <Loader role="status" aria-label={t('common.loading')} />
        </Center>
      ) : log.isError ? (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{log.error instanceof ApiError ? log.error.detail : t('common.error')}</Text>
            <Button size="xs" variant="white" onClick={() => void log.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      ) : items.length === 0 ? (
        <Text c="dimmed" py="lg">
          {t('audit.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="sm" aria-label={t('audit.title')} aria-busy={log.isFetching}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('audit.when')}</Table.Th>
                <Table.Th scope="col">{t('audit.who')}</Table.Th>
                <Table.Th scope="col">{t('audit.what')}</Table.Th>
                <Table.Th scope="col">{t('audit.target')}</Table.Th>
                <Table.Th scope="col">{t('audit.changes')}</Table.Th>
                <Table.Th scope="col">{t('audit.address')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </Table.Td>
                  <Table.Td>
                    {e.actor ? (
                      <>
                        <Text size="sm" fw={500}>
                          {e.actor.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {e.actor.email}
                        </Text>
                      </>
                    ) : (
                      <Text size="sm" fs="italic">
                        {t('audit.system')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`audit.events.${e.type}`, { defaultValue: e.type })}</Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {t(`audit.targets.${e.target.type}`, { defaultValue: e.target.type })}
                    </Text>
                    {/* Settings are one record: its type says it all. */}
                    {e.target.type !== 'settings' && <Text size="sm">{e.target.label ?? `#${e.target.id}`}</Text>}
                  </Table.Td>
                  <Table.Td>
                    {shownChanges(e.changes).length === 0 ? (
                      '—'
                    ) : (
                      <List size="sm" spacing={2} listStyleType="none" withPadding={false}>
                        {shownChanges(e.changes).map((c) => (
                          <List.Item key={c.field}>{changeInWords(c, e.target.type, words)}</List.Item>
                        ))}
                      </List>
                    )}
                  </Table.Td>
                  <Table.Td>{e.address ? <Code>{e.address}</Code> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {log.hasNextPage && !badRange && (
        <Center>
          <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
            {t('admin.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}

/** The translations `changeInWords` needs, in the current language. */
function useWords(users: User[] | undefined): Words {
  const { t, i18n } = useTranslation();
  const orgName = useOrganizationNames();
  return useMemo(() => {
    const userName = new Map((users ?? []).map((u) => [u.id, u.name]));
    const duration = (minutes: number) => shortDuration(minutes, { h: t('admin.sla.hoursShort'), min: t('admin.sla.minutesShort') });
    const special = (field: string, value: unknown): string | null => {
      if (!Array.isArray(value) || value.length === 0) return null;
      switch (field) {
        case 'targets':
          return (value as { priority: number; ttoMinutes: number; ttrMinutes: number }[]).map((x) => `P${x.priority} ${duration(x.ttoMinutes)} / ${duration(x.ttrMinutes)}`).join(' · ');
        case 'hours':
          return summarizeHours(value as WorkingInterval[], (d) => t(`admin.calendars.daysShort.${d}`));
        case 'pauseWhen':
          return value.map((r) => t(`pendingReason.${String(r)}`)).join(', ');
        case 'memberIds':
          return value.map((id) => userName.get(Number(id)) ?? `#${String(id)}`).join(', ');
        default:
          return null;
      }
    };
    return {
      text: (key) => (typeof i18n.getResource(i18n.language, 'translation', key) === 'string' ? t(key) : null),
      organization: (id) => orgName(id),
      yes: t('common.yes'),
      no: t('common.no'),
      none: t('common.none'),
      secret: t('audit.secretChanged'),
      changed: (field, from, to) => t('audit.changed', { field, from, to }),
      set: (field, value) => t('audit.set', { field, value }),
      special,
    };
  }, [t, i18n, orgName, users]);
}

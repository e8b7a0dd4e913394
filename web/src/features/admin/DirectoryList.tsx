import { Alert, Badge, Button, Center, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { type CSSProperties, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { type ListFilters, type Resource, useDirectoryList, useSave } from './api.ts';

export interface Column<T> {
  header: string;
  render: (row: T) => ReactNode;
}

type StatusFilter = 'active' | 'inactive' | 'all';

/**
 * The list half of an admin section: heading, "new" button, search (where the API has `q`), an
 * active/inactive filter plus the section's own filters, the table, "load more", and per row Edit and
 * Deactivate/Reactivate (records are never deleted: history points to them).
 */
export function DirectoryList<T extends { id: number; active: boolean }>({
  resource,
  title,
  createLabel,
  searchable,
  filters = {},
  extraFilters,
  actions,
  columns,
  rowName,
  canCreate = true,
  canEdit = () => true,
  canToggle = () => true,
  onCreate,
  onEdit,
}: {
  resource: Resource;
  title: string;
  createLabel: string;
  searchable: boolean;
  filters?: ListFilters;
  extraFilters?: ReactNode;
  /** Section-wide actions, beside the "new" button. */
  actions?: ReactNode;
  columns: Column<T>[];
  rowName: (row: T) => string;
  canCreate?: boolean;
  canEdit?: (row: T) => boolean;
  canToggle?: (row: T) => boolean;
  onCreate: () => void;
  onEdit: (row: T) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [status, setStatus] = useState<StatusFilter>('active');
  const list = useDirectoryList<T>(resource, {
    ...filters,
    ...(searchable && { q }),
    active: status === 'all' ? undefined : status === 'active',
  });
  const toggle = useToggleActive(resource, rowName);

  useEffect(() => {
    document.title = `${title} · Vigie`;
  }, [title]);

  return (
    <Stack style={readableDimmed}>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          {title}
        </Title>
        <Group gap="sm">
          {actions}
          {canCreate && <Button onClick={onCreate}>{createLabel}</Button>}
        </Group>
      </Group>

      <Group align="flex-end" gap="sm" role="search" aria-label={t('admin.filters')}>
        {searchable && (
          <TextInput
            label={t('common.search')}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            placeholder={t(`admin.${resource}.searchPlaceholder`)}
            w={280}
          />
        )}
        {extraFilters}
        <Select
          label={t('admin.status.label')}
          value={status}
          onChange={(v) => setStatus((v as StatusFilter | null) ?? 'active')}
          allowDeselect={false}
          data={[
            { value: 'active', label: t('admin.status.active') },
            { value: 'inactive', label: t('admin.status.inactive') },
            { value: 'all', label: t('common.all') },
          ]}
          w={160}
        />
      </Group>

      {list.isPending ? (
        <Center p="xl">
          <Loader role="status" aria-label={t('common.loading')} />
        </Center>
      ) : list.isError ? (
        <Alert color="red" role="alert">
          <Group justify="space-between">
            <Text size="sm">{list.error instanceof ApiError ? list.error.detail : t('common.error')}</Text>
            <Button size="xs" variant="white" onClick={() => void list.refetch()}>
              {t('common.retry')}
            </Button>
          </Group>
        </Alert>
      ) : list.items.length === 0 ? (
        <Text c="dimmed" py="lg">
          {q === '' && status === 'active' && Object.values(filters).every((v) => v === undefined) ? t('admin.emptyFirst') : t('admin.empty')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label={title} aria-busy={list.isFetching}>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => (
                  <Table.Th key={c.header} scope="col">
                    {c.header}
                  </Table.Th>
                ))}
                <Table.Th scope="col">{t('admin.status.label')}</Table.Th>
                <Table.Th scope="col">
                  <Text span size="sm" fw={700} style={visuallyHidden}>
                    {t('admin.actions')}
                  </Text>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.items.map((row) => (
                <Table.Tr key={row.id}>
                  {columns.map((c) => (
                    <Table.Td key={c.header}>{c.render(row)}</Table.Td>
                  ))}
                  <Table.Td>
                    <Badge color={row.active ? 'green' : 'gray'} variant="dot">
                      {row.active ? t('admin.status.active') : t('admin.status.inactive')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap" justify="flex-end">
                      {canEdit(row) && (
                        <Button size="xs" variant="light" onClick={() => onEdit(row)} aria-label={t('admin.editNamed', { name: rowName(row) })}>
                          {t('admin.edit')}
                        </Button>
                      )}
                      {canToggle(row) && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color={row.active ? 'red' : 'green'}
                          // Mantine's subtle text shade is too light for WCAG AA on white.
                          c={row.active ? 'red.9' : 'green.9'}
                          loading={toggle.isPending && toggle.variables?.id === row.id}
                          onClick={() => toggle.mutate({ id: row.id, body: { active: !row.active } })}
                          aria-label={t(row.active ? 'admin.deactivateNamed' : 'admin.reactivateNamed', { name: rowName(row) })}
                        >
                          {row.active ? t('admin.deactivate') : t('admin.reactivate')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {list.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('admin.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}

/** Deactivates or reactivates a row and says so; a refusal (e.g. the provider organization) is shown. */
function useToggleActive<T extends { active: boolean }>(resource: Resource, rowName: (row: T) => string) {
  const { t } = useTranslation();
  const save = useSave<T>(resource);
  return {
    ...save,
    mutate: (vars: { id: number; body: { active: boolean } }) =>
      save.mutate(vars, {
        onSuccess: (row) =>
          notifications.show({
            color: 'green',
            message: t(row.active ? 'admin.reactivated' : 'admin.deactivated', { name: rowName(row) }),
          }),
        onError: (e) =>
          notifications.show({ color: 'red', message: e instanceof ApiError ? e.detail : t('common.error') }),
      }),
  };
}

/** Mantine's dimmed gray (#868e96) is below WCAG AA on white; a darker gray for descriptions and hints. */
export const readableDimmed = { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' } as CSSProperties;

// Mantine's VisuallyHidden renders a div; a header cell needs inline text that screen readers still read.
const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const;

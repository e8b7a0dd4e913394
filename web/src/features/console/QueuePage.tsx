import {
  Alert,
  Anchor,
  Box,
  Button,
  Center,
  CloseButton,
  Group,
  Kbd,
  Loader,
  Modal,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type KeyboardEvent as ReactKeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import type { IncidentSort } from '../../../../contract/incidents.ts';
import { formatAge, formatDateTime, formatRelative } from '../../app/format.ts';
import { useLiveUpdates } from '../../app/live.ts';
import type { Me } from '../auth/session.ts';
import type { StaffIncident } from '../incidents/api.ts';
import { PriorityBadge, StatusBadge } from '../incidents/badges.tsx';
import { SlaCountdown } from '../incidents/SlaCountdown.tsx';
import { type SavedView, useCreateSavedView, useDeleteSavedView, useIncidentQueue, useOrganizations, useSavedViews, useStaff, useTeams } from './api.ts';
import { isTypingTarget, ShortcutHelp } from './keyboard.tsx';
import { LiveStatus, useNow } from './LiveStatus.tsx';
import { fromApiParams, parseQueueState, QUEUES, type QueueState, sameParams, SORTS, STATUSES, toApiParams, toSearch } from './queue-state.ts';

const STORAGE_KEY = 'vigie.console.queue';

/** The agent's queues: mine, my teams, unassigned, all in scope; filtered, searchable, keyboard-driven and live. */
export default function QueuePage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const live = useLiveUpdates();
  const [state, setState] = useQueueState(me.id);
  const params = useMemo(() => toApiParams(state, me), [state, me]);
  const noTeams = state.queue === 'teams' && me.teamIds.length === 0;
  const queue = useIncidentQueue(params, !noTeams);
  const [, navigate] = useLocation();
  const searchRef = useRef<HTMLInputElement>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const rowLinks = useRef(new Map<number, HTMLAnchorElement>());
  const items = noTeams ? [] : queue.items;

  // j/k, Enter, / and ? — never while typing in a field or with a dialog open.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || helpOpen || isTypingTarget(e.target)) return;
      if (document.querySelector('[role="dialog"]')) return;
      const index = items.findIndex((i) => i.id === selectedId);
      const select = (next: number) => {
        const incident = items[Math.max(0, Math.min(items.length - 1, next))];
        if (!incident) return;
        setSelectedId(incident.id);
        rowLinks.current.get(incident.id)?.focus();
      };
      if (e.key === 'j' || e.key === 'ArrowDown') {
        if (e.key === 'ArrowDown' && index < 0) return;
        e.preventDefault();
        select(index < 0 ? 0 : index + 1);
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        if (e.key === 'ArrowUp' && index < 0) return;
        e.preventDefault();
        select(index < 0 ? 0 : index - 1);
      } else if (e.key === 'Enter' && index >= 0) {
        const el = e.target as HTMLElement | null;
        if (el?.closest('a, button, [role="button"], [role="radio"]')) return;
        e.preventDefault();
        navigate(`/console/incidents/${items[index].ref}`);
      } else if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      } else if (e.key === '?') {
        e.preventDefault();
        setHelpOpen(true);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, selectedId, helpOpen, navigate]);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Group gap="md" align="baseline">
          <Title order={1} size="h2">
            {t('console.queue.title')}
          </Title>
          <LiveStatus state={live} />
        </Group>
        <Group gap="xs">
          <Button variant="subtle" size="compact-sm" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
            {t('console.keys.button')} <Kbd ml={6}>?</Kbd>
          </Button>
          <Button component={Link} href="/console/call" size="sm">
            {t('nav.logCall')}
          </Button>
        </Group>
      </Group>

      <QueueFilters state={state} onChange={setState} searchRef={searchRef} />
      <SavedViews me={me} state={state} params={params} onApply={setState} />

      {queue.isError && !noTeams ? (
        <Alert color="red" role="alert" title={t('common.error')}>
          <Button size="xs" variant="light" onClick={() => void queue.refetch()}>
            {t('common.retry')}
          </Button>
        </Alert>
      ) : queue.isPending && !noTeams ? (
        <Center p="xl">
          <Loader role="status" aria-label={t('common.loading')} />
        </Center>
      ) : (
        <QueueTable
          items={items}
          state={state}
          onSort={(sort) => setState({ ...state, sort })}
          selectedId={selectedId}
          onSelect={setSelectedId}
          rowLinks={rowLinks.current}
          empty={noTeams ? t('console.queue.noTeams') : t('console.queue.empty')}
          busy={queue.isFetching}
        />
      )}

      {queue.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => void queue.fetchNextPage()} loading={queue.isFetchingNextPage}>
            {t('console.queue.loadMore')}
          </Button>
        </Center>
      )}
      <ShortcutHelp opened={helpOpen} onClose={() => setHelpOpen(false)} />
    </Stack>
  );
}

/** The queue lives in the URL (shareable, back button) and is remembered, per user, for the next visit. */
function useQueueState(userId: number): [QueueState, (s: QueueState) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const key = `${STORAGE_KEY}.${userId}`;
  const stored = search ? null : localStorage.getItem(key);
  useEffect(() => {
    if (stored) navigate(`${location}?${stored}`, { replace: true });
    else if (search) localStorage.setItem(key, search);
  }, [stored, search, key, location, navigate]);
  const state = useMemo(() => parseQueueState(search || stored || ''), [search, stored]);
  const set = (next: QueueState) => {
    const s = toSearch(next);
    localStorage.setItem(key, s);
    navigate(s ? `${location}?${s}` : location, { replace: true });
  };
  return [state, set];
}

function QueueFilters({ state, onChange, searchRef }: { state: QueueState; onChange: (s: QueueState) => void; searchRef: React.RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const orgs = useOrganizations();
  const [q, setQ] = useState(state.q);
  const [debounced] = useDebouncedValue(q, 250);
  const pushed = useRef(state.q);
  // Typing searches after a short pause; a saved view or the back button replaces the text.
  useEffect(() => {
    if (debounced.trim() === state.q.trim()) return;
    pushed.current = debounced.trim();
    onChange({ ...state, q: debounced });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);
  useEffect(() => {
    if (state.q !== pushed.current) setQ(state.q);
    pushed.current = state.q;
  }, [state.q]);

  return (
    <Stack gap="sm">
      <div>
        <Text component="span" id="queue-label" size="sm" fw={500} display="block" mb={4}>
          {t('console.queue.queueLabel')}
        </Text>
        <SegmentedControl
          aria-labelledby="queue-label"
          value={state.queue}
          onChange={(queue) => onChange({ ...state, queue })}
          data={QUEUES.map((value) => ({ value, label: t(`console.queue.queues.${value}`) }))}
        />
      </div>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          ref={searchRef}
          type="search"
          label={t('common.search')}
          placeholder={t('console.queue.searchPlaceholder')}
          aria-keyshortcuts="/"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          onKeyDown={(e: ReactKeyboardEvent<HTMLInputElement>) => {
            if (e.key === 'Escape') e.currentTarget.blur();
            if (e.key === 'Enter') onChange({ ...state, q });
          }}
          rightSection={<Kbd size="xs">/</Kbd>}
          w={{ base: '100%', sm: 280 }}
        />
        <MultiSelect
          label={t('field.status')}
          placeholder={state.status.length ? undefined : t('console.queue.anyStatus')}
          data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
          value={state.status}
          onChange={(status) => onChange({ ...state, status })}
          clearable
          w={{ base: '100%', sm: 300 }}
        />
        <MultiSelect
          label={t('field.priority')}
          placeholder={state.priority.length ? undefined : t('console.queue.anyPriority')}
          data={['1', '2', '3', '4'].map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          value={state.priority}
          onChange={(priority) => onChange({ ...state, priority })}
          clearable
          w={{ base: '100%', sm: 220 }}
        />
        <MultiSelect
          label={t('field.orgId')}
          placeholder={state.orgId.length ? undefined : t('console.queue.anyOrganization')}
          data={(orgs.data?.items ?? []).map((o) => ({ value: String(o.id), label: o.name }))}
          value={state.orgId}
          onChange={(orgId) => onChange({ ...state, orgId })}
          searchable
          clearable
          nothingFoundMessage={t('console.nothingFound')}
          w={{ base: '100%', sm: 240 }}
        />
        <Select
          label={t('console.queue.sortLabel')}
          data={SORTS.map((s) => ({ value: s, label: t(`console.queue.sort.${s}`) }))}
          value={state.sort}
          onChange={(sort) => sort && onChange({ ...state, sort: sort as IncidentSort })}
          allowDeselect={false}
          w={{ base: '100%', sm: 220 }}
        />
      </Group>
    </Stack>
  );
}

function SavedViews({ me, state, params, onApply }: { me: Me; state: QueueState; params: Record<string, string>; onApply: (s: QueueState) => void }) {
  const { t } = useTranslation();
  const views = useSavedViews();
  const create = useCreateSavedView();
  const remove = useDeleteSavedView();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const current = views.data?.find((v) => sameParams(v.filters, params));

  return (
    <Group gap="xs" wrap="wrap" component="nav" aria-label={t('console.views.title')}>
      <Text size="sm" fw={500}>
        {t('console.views.title')}
      </Text>
      {views.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('console.views.none')}
        </Text>
      )}
      {views.data?.map((v: SavedView) => (
        <Group key={v.id} gap={0} wrap="nowrap">
          <Button
            size="compact-sm"
            variant={current?.id === v.id ? 'filled' : 'light'}
            aria-current={current?.id === v.id ? 'true' : undefined}
            onClick={() => onApply(fromApiParams(v.filters, me))}
            style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}
          >
            {v.name}
          </Button>
          <CloseButton
            size="sm"
            variant="light"
            aria-label={t('console.views.delete', { name: v.name })}
            onClick={() => remove.mutate(v.id)}
            style={{ borderTopLeftRadius: 0, borderBottomLeftRadius: 0 }}
          />
        </Group>
      ))}
      {!current && (
        <Button size="compact-sm" variant="subtle" onClick={() => setNaming(true)}>
          {t('console.views.save')}
        </Button>
      )}
      <Modal opened={naming} onClose={() => setNaming(false)} title={t('console.views.saveTitle')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(
              { name: name.trim(), filters: params },
              {
                onSuccess: () => {
                  setNaming(false);
                  setName('');
                },
              },
            );
          }}
        >
          <Stack>
            <TextInput label={t('console.views.name')} required maxLength={100} data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={create.error?.message} />
            <Text size="sm" c="dimmed">
              {t(`console.queue.queues.${state.queue}`)}
              {state.q && ` · “${state.q}”`}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setNaming(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Group>
  );
}

function QueueTable({
  items,
  state,
  onSort,
  selectedId,
  onSelect,
  rowLinks,
  empty,
  busy,
}: {
  items: StaffIncident[];
  state: QueueState;
  onSort: (s: IncidentSort) => void;
  selectedId: number | null;
  onSelect: (id: number) => void;
  rowLinks: Map<number, HTMLAnchorElement>;
  empty: string;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const orgs = useOrganizations();
  const teams = useTeams();
  const staff = useStaff();
  const now = useNow();

  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table highlightOnHover verticalSpacing="xs" aria-busy={busy} stickyHeader>
        <Table.Caption style={{ captionSide: 'top', textAlign: 'left', marginTop: 0 }}>
          <VisuallyHidden>{t(`console.queue.queues.${state.queue}`)}</VisuallyHidden>
          <Text span size="xs" c="dimmed">
            {t('console.queue.count', { count: items.length })}
          </Text>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('console.col.ref')}</Table.Th>
            <Table.Th scope="col">{t('field.title')}</Table.Th>
            <SortableTh label={t('field.priority')} field="priority" sort={state.sort} onSort={onSort} ascFirst />
            <Table.Th scope="col">{t('field.status')}</Table.Th>
            <Table.Th scope="col">{t('field.orgId')}</Table.Th>
            <Table.Th scope="col">{t('field.callerId')}</Table.Th>
            <Table.Th scope="col">{t('field.teamId')}</Table.Th>
            <Table.Th scope="col">{t('field.agentId')}</Table.Th>
            <SortableTh label={t('console.col.age')} field="createdAt" sort={state.sort} onSort={onSort} />
            <Table.Th scope="col">{t('console.col.lastCustomerUpdate')}</Table.Th>
            <SortableTh label={t('sla.due')} field="ttrDueAt" sort={state.sort} onSort={onSort} ascFirst />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={11}>
                <Text c="dimmed" ta="center" py="lg">
                  {empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {items.map((i) => {
            const selected = i.id === selectedId;
            return (
              <Table.Tr
                key={i.id}
                data-testid="queue-row"
                aria-current={selected ? 'true' : undefined}
                onClick={(e) => {
                  onSelect(i.id);
                  if (!(e.target as HTMLElement).closest('a')) navigate(`/console/incidents/${i.ref}`);
                }}
                style={{
                  cursor: 'pointer',
                  background: selected ? 'var(--mantine-color-blue-0)' : undefined,
                  boxShadow: selected ? 'inset 3px 0 0 var(--mantine-color-blue-7)' : undefined,
                }}
              >
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Anchor
                    component={Link}
                    href={`/console/incidents/${i.ref}`}
                    ref={(el: HTMLAnchorElement | null) => {
                      if (el) rowLinks.set(i.id, el);
                      else rowLinks.delete(i.id);
                    }}
                    onFocus={() => onSelect(i.id)}
                    ff="monospace"
                    size="sm"
                    fw={600}
                  >
                    {i.ref}
                  </Anchor>
                </Table.Td>
                <Table.Td miw={220} maw={420}>
                  <Text size="sm" lineClamp={2} title={i.title}>
                    {i.title}
                  </Text>
                </Table.Td>
                {/* max-content: a table column would otherwise shrink the badges to an ellipsis. */}
                <Table.Td>
                  <Box w="max-content">
                    <PriorityBadge priority={i.priority} />
                  </Box>
                </Table.Td>
                <Table.Td>
                  <Box w="max-content">
                    <StatusBadge status={i.status} />
                  </Box>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{orgs.data?.byId.get(i.orgId)?.name ?? ''}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {i.callerName ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{i.teamId ? (teams.data?.byId.get(i.teamId)?.name ?? '') : ''}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={i.agentId ? undefined : 'dimmed'}>
                    {i.agentId ? (staff.data?.byId.get(i.agentId)?.name ?? '') : t('console.unassigned')}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm" component="time" dateTime={i.createdAt} title={formatDateTime(i.createdAt)}>
                    {formatAge(i.createdAt, now)}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {i.lastCustomerUpdateAt && (
                    <Text size="sm" component="time" dateTime={i.lastCustomerUpdateAt} title={formatDateTime(i.lastCustomerUpdateAt)}>
                      {formatRelative(i.lastCustomerUpdateAt, now)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <SlaCountdown incident={i} which={['ttr']} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * A column header that sorts. Priority sorts P1 first on the first click ("ascFirst"); age sorts the
 * newest first, i.e. createdAt descending.
 */
function SortableTh({ label, field, sort, onSort, ascFirst }: { label: string; field: 'priority' | 'createdAt' | 'ttrDueAt'; sort: IncidentSort; onSort: (s: IncidentSort) => void; ascFirst?: boolean }) {
  const { t } = useTranslation();
  const asc = sort === field;
  const desc = sort === `-${field}`;
  // Age is the reverse of createdAt: the youngest (latest createdAt) shows the smallest age.
  const ariaSort = asc ? (field === 'createdAt' ? 'descending' : 'ascending') : desc ? (field === 'createdAt' ? 'ascending' : 'descending') : 'none';
  const first = (ascFirst ? field : `-${field}`) as IncidentSort;
  const second = (ascFirst ? `-${field}` : field) as IncidentSort;
  const next = sort === first ? second : first;
  return (
    <Table.Th scope="col" aria-sort={ariaSort}>
      <UnstyledButton onClick={() => onSort(next)} fw={700} fz="sm" title={t('console.col.sortBy', { column: label })}>
        {label}
        <span aria-hidden style={{ marginLeft: 4, opacity: ariaSort === 'none' ? 0.3 : 1 }}>
          {ariaSort === 'descending' ? '↓' : ariaSort === 'ascending' ? '↑' : '↕'}
        </span>
      </UnstyledButton>
    </Table.Th>
  );
}


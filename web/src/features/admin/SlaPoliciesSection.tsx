import { Button, Checkbox, Group, MultiSelect, NumberInput, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { Calendar } from '../../../../contract/calendars.ts';
import type { SlaPolicy as SlaPolicySchema } from '../../../../contract/sla.ts';
import { api, ApiError } from '../../app/api.ts';
import { formatNumber } from '../../app/format.ts';
import { useSave } from './api.ts';
import { DirectoryList } from './DirectoryList.tsx';
import { check, compact, type FieldErrors, FormModal, saveErrors, translateApiMessage } from './FormModal.tsx';
import { OrganizationSelect, useOrganizationNames } from './fields.tsx';
import { shortDuration, splitMinutes } from './sla-values.ts';

type SlaPolicy = z.infer<typeof SlaPolicySchema>;
type Target = SlaPolicy['targets'][number];
/** A row of the targets table: every priority is shown; unticked ones get no target. */
type TargetRow = Target & { enabled: boolean };

const FIELDS = ['name', 'orgId', 'serviceId', 'calendarId', 'targets', 'pauseWhen', 'warnAtPercent'] as const;
const REASONS = ['customer', 'vendor', 'change', 'other'] as const;
const PRIORITIES = [1, 2, 3, 4];
const DEFAULT_TARGETS: Target[] = [
  { priority: 1, ttoMinutes: 15, ttrMinutes: 240 },
  { priority: 2, ttoMinutes: 30, ttrMinutes: 480 },
  { priority: 3, ttoMinutes: 120, ttrMinutes: 1440 },
  { priority: 4, ttoMinutes: 480, ttrMinutes: 4800 },
];

/** SLA policies: TTO and TTR targets per priority on a business calendar (managers and admins). */
export function SlaPoliciesSection() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const orgNames = useOrganizationNames();
  const { calendars, services } = useCalendarsAndServices();
  const names = (items: { id: number; name: string }[] | undefined) => new Map((items ?? []).map((x) => [x.id, x.name]));
  const calendarNames = useMemo(() => names(calendars.data?.items), [calendars.data]);
  const serviceNames = useMemo(() => names(services.data?.items), [services.data]);
  const units = { h: t('admin.sla.hoursShort'), min: t('admin.sla.minutesShort') };
  return (
    <>
      <DirectoryList<SlaPolicy>
        resource="sla-policies"
        title={t('admin.sla.title')}
        createLabel={t('admin.sla.create')}
        searchable={false}
        rowName={(p) => p.name}
        onCreate={() => setEditing('new')}
        onEdit={setEditing}
        actions={<RecomputeButton />}
        columns={[
          { header: t('admin.sla.name'), render: (p) => <Text size="sm" fw={500}>{p.name}</Text> },
          { header: t('admin.sla.organization'), render: (p) => (p.orgId ? orgNames(p.orgId) : t('admin.sla.allOrganizations')) },
          { header: t('admin.sla.service'), render: (p) => (p.serviceId ? (serviceNames.get(p.serviceId) ?? `#${p.serviceId}`) : t('admin.sla.allServices')) },
          { header: t('admin.sla.calendar'), render: (p) => calendarNames.get(p.calendarId) ?? `#${p.calendarId}` },
          {
            header: t('admin.sla.targets'),
            render: (p) => (
              <Stack gap={0}>
                {[...p.targets]
                  .sort((a, b) => a.priority - b.priority)
                  .map((x) => (
                    <Text size="sm" key={x.priority} style={{ whiteSpace: 'nowrap' }}>
                      P{x.priority} · {shortDuration(x.ttoMinutes, units)} / {shortDuration(x.ttrMinutes, units)}
                    </Text>
                  ))}
              </Stack>
            ),
          },
        ]}
      />
      {editing && <PolicyForm policy={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

/** "Apply to open incidents": recomputes every open incident's deadlines with the current policies and calendars. */
function RecomputeButton() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const recompute = useMutation({
    mutationFn: () => api<{ recomputed: number }>('/sla/recompute', { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['incidents'] }),
    onError: (e) => notifications.show({ color: 'red', message: e instanceof ApiError ? e.detail : t('common.error') }),
  });
  return (
    <Group gap="xs" wrap="nowrap">
      <Text size="sm" fw={500} role="status" data-testid="recompute-result">
        {recompute.data ? t('admin.sla.recomputed', { count: recompute.data.recomputed, formatted: formatNumber(recompute.data.recomputed) }) : ''}
      </Text>
      <Tooltip label={t('admin.sla.recomputeHelp')} multiline w={280}>
        <Button variant="default" onClick={() => recompute.mutate()} loading={recompute.isPending}>
          {t('admin.sla.recompute')}
        </Button>
      </Tooltip>
    </Group>
  );
}

function PolicyForm({ policy, onClose }: { policy: SlaPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSave<SlaPolicy>('sla-policies');
  const { calendars, services } = useCalendarsAndServices();
  const [name, setName] = useState(policy?.name ?? '');
  const [orgId, setOrgId] = useState<string | null>(policy?.orgId ? String(policy.orgId) : null);
  const [serviceId, setServiceId] = useState<string | null>(policy?.serviceId ? String(policy.serviceId) : null);
  const [calendarId, setCalendarId] = useState<string | null>(policy ? String(policy.calendarId) : null);
  const [rows, setRows] = useState<TargetRow[]>(() => initialRows(policy?.targets ?? DEFAULT_TARGETS));
  const [pauseWhen, setPauseWhen] = useState<string[]>(policy?.pauseWhen ?? ['customer']);
  const [warnAtPercent, setWarnAtPercent] = useState<number>(policy?.warnAtPercent ?? 75);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const server = saveErrors(save.error, FIELDS, t);
  const errors = { ...server.fields, ...clientErrors };
  const enabled = rows.filter((r) => r.enabled);
  const setRow = (priority: number, patch: Partial<TargetRow>) => {
    setRows((rs) => rs.map((x) => (x.priority === priority ? { ...x, ...patch } : x)));
    setClientErrors((e) => ({ ...e, targets: undefined, [`targets.${priority}`]: undefined }));
  };
  const calendarOptions = useMemo(() => {
    const items = calendars.data?.items ?? [];
    const options = items.map((c) => ({ value: String(c.id), label: `${c.name} (${c.timezone})` }));
    // A policy keeps showing its calendar even after the calendar was deactivated.
    if (calendarId && !items.some((c) => String(c.id) === calendarId)) options.unshift({ value: calendarId, label: `#${calendarId} — ${t('admin.status.inactive')}` });
    return options;
  }, [calendars.data, calendarId, t]);

  const submit = () => {
    const found = compact({
      name: check.required(name, t),
      calendarId: calendarId ? undefined : t('admin.sla.calendarRequired'),
      targets: enabled.length === 0 ? t('admin.sla.targetsRequired') : undefined,
      ...Object.fromEntries(rows.map((r) => [`targets.${r.priority}`, r.enabled && r.ttoMinutes > r.ttrMinutes ? t('admin.errors.ttoAfterTtr') : undefined])),
    });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(
      {
        id: policy?.id,
        body: {
          name: name.trim(),
          orgId: orgId ? Number(orgId) : null,
          serviceId: serviceId ? Number(serviceId) : null,
          calendarId: Number(calendarId),
          targets: enabled.map(({ priority, ttoMinutes, ttrMinutes }) => ({ priority, ttoMinutes, ttrMinutes })),
          pauseWhen,
          warnAtPercent,
        },
      },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: t('admin.saved', { name: saved.name }) });
          onClose();
        },
      },
    );
  };
  // The API's `targets.1.ttoMinutes` counts the targets sent, i.e. the ticked rows only.
  const rowError = (priority: number) => clientErrors[`targets.${priority}`] ?? targetApiError(save.error, enabled.findIndex((r) => r.priority === priority), t);

  return (
    <FormModal title={policy ? t('admin.sla.editTitle', { name: policy.name }) : t('admin.sla.create')} onClose={onClose} onSubmit={submit} saving={save.isPending} generalError={server.general} size="xl">
      <TextInput label={t('admin.sla.name')} required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} maxLength={200} />
      <Group grow align="flex-start">
        <OrganizationSelect label={t('admin.sla.organization')} description={t('admin.sla.organizationHelp')} placeholder={t('admin.sla.allOrganizations')} value={orgId} onChange={setOrgId} error={errors.orgId} />
        <Select
          label={t('admin.sla.service')}
          description={t('admin.sla.serviceHelp')}
          placeholder={t('admin.sla.allServices')}
          clearable
          clearButtonProps={{ 'aria-label': t('admin.clearField', { field: t('admin.sla.service') }) }}
          searchable
          nothingFoundMessage={t('admin.nothingFound')}
          value={serviceId}
          onChange={setServiceId}
          data={(services.data?.items ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
          error={errors.serviceId}
        />
      </Group>
      <Select
        label={t('admin.sla.calendar')}
        description={t('admin.sla.calendarHelp')}
        required
        searchable
        nothingFoundMessage={t('admin.sla.noCalendar')}
        value={calendarId}
        onChange={setCalendarId}
        data={calendarOptions}
        error={errors.calendarId}
      />
      <Table withTableBorder verticalSpacing="xs" aria-describedby="sla-targets-help">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('field.priority')}</Table.Th>
            <Table.Th scope="col">{t('admin.sla.tto')}</Table.Th>
            <Table.Th scope="col">{t('admin.sla.ttr')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((x) => {
            const priority = t(`priority.${x.priority}`);
            const error = rowError(x.priority);
            return (
              <Table.Tr key={x.priority} data-testid={`target-P${x.priority}`}>
                <Table.Th scope="row" fw={500}>
                  <Checkbox label={priority} checked={x.enabled} onChange={(e) => setRow(x.priority, { enabled: e.currentTarget.checked })} />
                  {error && (
                    <Text size="xs" c="red" mt={4} role="alert">
                      {error}
                    </Text>
                  )}
                </Table.Th>
                <Table.Td>
                  <DurationInput label={`${priority} · ${t('admin.sla.tto')}`} minutes={x.ttoMinutes} disabled={!x.enabled} invalid={Boolean(error)} onChange={(m) => setRow(x.priority, { ttoMinutes: m })} />
                </Table.Td>
                <Table.Td>
                  <DurationInput label={`${priority} · ${t('admin.sla.ttr')}`} minutes={x.ttrMinutes} disabled={!x.enabled} invalid={Boolean(error)} onChange={(m) => setRow(x.priority, { ttrMinutes: m })} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Text size="sm" c="dimmed" id="sla-targets-help" mt={-8}>
        {t('admin.sla.targetsHelp')}
      </Text>
      {errors.targets && (
        <Text size="sm" c="red" role="alert">
          {errors.targets}
        </Text>
      )}
      <Group grow align="flex-start">
        <MultiSelect
          label={t('admin.sla.pauseWhen')}
          description={t('admin.sla.pauseWhenHelp')}
          placeholder={pauseWhen.length === 0 ? t('admin.sla.neverPaused') : undefined}
          value={pauseWhen}
          onChange={setPauseWhen}
          data={REASONS.map((r) => ({ value: r, label: t(`pendingReason.${r}`) }))}
          error={errors.pauseWhen}
        />
        <NumberInput
          label={t('admin.sla.warnAtPercent')}
          description={t('admin.sla.warnAtPercentHelp')}
          min={1}
          max={99}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="strict"
          suffix=" %"
          value={warnAtPercent}
          onChange={(v) => setWarnAtPercent(typeof v === 'number' ? v : 75)}
          error={errors.warnAtPercent}
        />
      </Group>
    </FormModal>
  );
}

/** Business minutes entered as hours and minutes. */
function DurationInput({ label, minutes, disabled, invalid, onChange }: { label: string; minutes: number; disabled: boolean; invalid: boolean; onChange: (minutes: number) => void }) {
  const { t } = useTranslation();
  const { hours, minutes: rest } = splitMinutes(minutes);
  const part = (value: string | number) => (typeof value === 'number' ? value : 0);
  return (
    <Group gap={6} wrap="nowrap" role="group" aria-label={label}>
      <NumberInput
        aria-label={t('admin.sla.hoursOf', { label })}
        w={96}
        min={0}
        max={8760}
        allowDecimal={false}
        allowNegative={false}
        clampBehavior="strict"
        rightSection={<Text size="sm">{t('admin.sla.hoursShort')}</Text>}
        rightSectionWidth={28}
        rightSectionPointerEvents="none"
        disabled={disabled}
        error={invalid}
        value={hours}
        onChange={(v) => onChange(part(v) * 60 + rest)}
      />
      <NumberInput
        aria-label={t('admin.sla.minutesOf', { label })}
        w={96}
        min={0}
        max={59}
        allowDecimal={false}
        allowNegative={false}
        clampBehavior="strict"
        rightSection={<Text size="sm">{t('admin.sla.minutesShort')}</Text>}
        rightSectionWidth={40}
        rightSectionPointerEvents="none"
        disabled={disabled}
        error={invalid}
        value={rest}
        onChange={(v) => onChange(hours * 60 + part(v))}
      />
    </Group>
  );
}

function useCalendarsAndServices() {
  const calendars = useQuery({ queryKey: ['admin', 'calendars', 'options'], queryFn: () => api<{ items: z.infer<typeof Calendar>[] }>('/calendars?active=true&limit=200'), staleTime: 60_000 });
  const services = useQuery({ queryKey: ['admin', 'services', 'options'], queryFn: () => api<{ items: { id: number; name: string }[] }>('/services?active=true&limit=200'), staleTime: 60_000 });
  return { calendars, services };
}

/** Every priority, ticked when the policy has a target for it (unticked ones get P1–P4's defaults). */
function initialRows(targets: Target[]): TargetRow[] {
  return PRIORITIES.map((priority) => {
    const own = targets.find((x) => x.priority === priority);
    return own ? { ...own, enabled: true } : { ...DEFAULT_TARGETS[priority - 1]!, enabled: false };
  });
}

/** The API's message about the n-th target sent (`targets.n.ttrMinutes`), in the user's language. */
function targetApiError(error: unknown, index: number, t: TFunction): string | undefined {
  if (!(error instanceof ApiError) || index < 0) return undefined;
  const found = error.errors.find((e) => e.path.startsWith(`targets.${index}.`) || e.path === `targets.${index}`);
  return found ? translateApiMessage('targets', found.message, t) : undefined;
}

import { Button, Group, MultiSelect, NumberInput, Select, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { Calendar } from '../../../../contract/calendars.ts';
import type { SlaPolicy as SlaPolicySchema } from '../../../../contract/sla.ts';
import { api } from '../../app/api.ts';
import { useSave } from './api.ts';
import { DirectoryList } from './DirectoryList.tsx';
import { check, compact, type FieldErrors, FormModal, saveErrors } from './FormModal.tsx';
import { OrganizationSelect, useOrganizationNames } from './fields.tsx';

type SlaPolicy = z.infer<typeof SlaPolicySchema>;
type Target = SlaPolicy['targets'][number];

const FIELDS = ['name', 'orgId', 'serviceId', 'calendarId', 'targets', 'pauseWhen', 'warnAtPercent'] as const;
const REASONS = ['customer', 'vendor', 'change', 'other'] as const;
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
  const recompute = useMutation({
    mutationFn: () => api<{ recomputed: number }>('/sla/recompute', { method: 'POST' }),
    onSuccess: (r) => notifications.show({ color: 'green', message: t('admin.sla.recomputed', { count: r.recomputed }) }),
  });
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
        extraFilters={
          <Button variant="default" onClick={() => recompute.mutate()} loading={recompute.isPending}>
            {t('admin.sla.recompute')}
          </Button>
        }
        columns={[
          { header: t('admin.sla.name'), render: (p) => <Text size="sm" fw={500}>{p.name}</Text> },
          { header: t('admin.sla.organization'), render: (p) => (p.orgId ? orgNames(p.orgId) : t('admin.sla.allOrganizations')) },
          { header: t('admin.sla.targets'), render: (p) => <Text size="sm">{p.targets.map((x) => `P${x.priority} ${x.ttoMinutes}/${x.ttrMinutes}`).join(' · ')}</Text> },
        ]}
      />
      {editing && <PolicyForm policy={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function PolicyForm({ policy, onClose }: { policy: SlaPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSave<SlaPolicy>('sla-policies');
  const calendars = useQuery({ queryKey: ['admin', 'calendars', 'options'], queryFn: () => api<{ items: z.infer<typeof Calendar>[] }>('/calendars?active=true&limit=200') });
  const services = useQuery({ queryKey: ['admin', 'services', 'options'], queryFn: () => api<{ items: { id: number; name: string }[] }>('/services?active=true&limit=200') });
  const [name, setName] = useState(policy?.name ?? '');
  const [orgId, setOrgId] = useState<string | null>(policy?.orgId ? String(policy.orgId) : null);
  const [serviceId, setServiceId] = useState<string | null>(policy?.serviceId ? String(policy.serviceId) : null);
  const [calendarId, setCalendarId] = useState<string | null>(policy ? String(policy.calendarId) : null);
  const [targets, setTargets] = useState<Target[]>(policy?.targets ?? DEFAULT_TARGETS);
  const [pauseWhen, setPauseWhen] = useState<string[]>(policy?.pauseWhen ?? ['customer']);
  const [warnAtPercent, setWarnAtPercent] = useState<number>(policy?.warnAtPercent ?? 75);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const server = saveErrors(save.error, FIELDS, t);
  const errors = { ...server.fields, ...clientErrors };
  const setTarget = (priority: number, patch: Partial<Target>) => setTargets((ts) => ts.map((x) => (x.priority === priority ? { ...x, ...patch } : x)));

  const submit = () => {
    const found = compact({ name: check.required(name, t), calendarId: calendarId ? undefined : t('admin.sla.calendarRequired') });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(
      {
        id: policy?.id,
        body: { name: name.trim(), orgId: orgId ? Number(orgId) : null, serviceId: serviceId ? Number(serviceId) : null, calendarId: Number(calendarId), targets, pauseWhen, warnAtPercent },
      },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: t('admin.saved', { name: saved.name }) });
          onClose();
        },
      },
    );
  };

  return (
    <FormModal title={policy ? t('admin.sla.editTitle', { name: policy.name }) : t('admin.sla.create')} onClose={onClose} onSubmit={submit} saving={save.isPending} generalError={server.general} size="xl">
      <TextInput label={t('admin.sla.name')} required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} maxLength={200} />
      <OrganizationSelect label={t('admin.sla.organization')} description={t('admin.sla.organizationHelp')} value={orgId} onChange={setOrgId} error={errors.orgId} />
      <Select
        label={t('admin.sla.service')}
        description={t('admin.sla.serviceHelp')}
        clearable
        searchable
        value={serviceId}
        onChange={setServiceId}
        data={(services.data?.items ?? []).map((s) => ({ value: String(s.id), label: s.name }))}
        error={errors.serviceId}
      />
      <Select
        label={t('admin.sla.calendar')}
        required
        searchable
        value={calendarId}
        onChange={setCalendarId}
        data={(calendars.data?.items ?? []).map((c) => ({ value: String(c.id), label: `${c.name} (${c.timezone})` }))}
        error={errors.calendarId}
      />
      <Table withTableBorder>
        <Table.Caption>{t('admin.sla.targetsHelp')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('field.priority')}</Table.Th>
            <Table.Th scope="col">{t('admin.sla.tto')}</Table.Th>
            <Table.Th scope="col">{t('admin.sla.ttr')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {targets.map((x) => (
            <Table.Tr key={x.priority}>
              <Table.Th scope="row">{t(`priority.${x.priority}`)}</Table.Th>
              <Table.Td>
                <NumberInput aria-label={`${t('admin.sla.tto')} ${t(`priority.${x.priority}`)}`} min={1} value={x.ttoMinutes} onChange={(v) => setTarget(x.priority, { ttoMinutes: Number(v) || 1 })} />
              </Table.Td>
              <Table.Td>
                <NumberInput aria-label={`${t('admin.sla.ttr')} ${t(`priority.${x.priority}`)}`} min={1} value={x.ttrMinutes} onChange={(v) => setTarget(x.priority, { ttrMinutes: Number(v) || 1 })} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {errors.targets && (
        <Text size="sm" c="red">
          {errors.targets}
        </Text>
      )}
      <Group grow align="flex-start">
        <MultiSelect
          label={t('admin.sla.pauseWhen')}
          description={t('admin.sla.pauseWhenHelp')}
          value={pauseWhen}
          onChange={setPauseWhen}
          data={REASONS.map((r) => ({ value: r, label: t(`pendingReason.${r}`) }))}
          error={errors.pauseWhen}
        />
        <NumberInput label={t('admin.sla.warnAtPercent')} min={1} max={99} suffix=" %" value={warnAtPercent} onChange={(v) => setWarnAtPercent(Number(v) || 75)} error={errors.warnAtPercent} />
      </Group>
    </FormModal>
  );
}

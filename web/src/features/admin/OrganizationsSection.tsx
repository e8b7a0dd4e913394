import { Badge, Group, NumberInput, Radio, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Organization, useSave } from './api.ts';
import { DirectoryList } from './DirectoryList.tsx';
import { check, compact, type FieldErrors, FormModal, saveErrors } from './FormModal.tsx';

const FIELDS = ['name', 'code', 'locale', 'timezone', 'maturityLevel', 'autoCloseDays', 'slaEnabled'] as const;
const LEVELS = ['1', '2', '3', '4'] as const;

/** Client organizations: language, time zone and maturity level (admins only). */
export function OrganizationsSection() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Organization | 'new' | null>(null);
  return (
    <>
      <DirectoryList<Organization>
        resource="organizations"
        title={t('admin.organizations.title')}
        createLabel={t('admin.organizations.create')}
        searchable
        rowName={(o) => o.name}
        // The service provider runs Vigie: it cannot be switched off.
        canToggle={(o) => !o.isProvider}
        onCreate={() => setEditing('new')}
        onEdit={setEditing}
        columns={[
          {
            header: t('admin.organizations.name'),
            render: (o) => (
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" fw={500}>
                  {o.name}
                </Text>
                {o.isProvider && (
                  <Badge size="sm" variant="outline">
                    {t('admin.organizations.provider')}
                  </Badge>
                )}
              </Group>
            ),
          },
          { header: t('admin.organizations.code'), render: (o) => <Text size="sm" ff="monospace">{o.code}</Text> },
          { header: t('admin.locale.label'), render: (o) => t(`admin.locale.${o.locale}`) },
          { header: t('admin.organizations.timezone'), render: (o) => o.timezone },
          { header: t('admin.organizations.maturity'), render: (o) => `${o.maturityLevel} · ${t(`admin.maturity.${o.maturityLevel}.name`)}` },
        ]}
      />
      {editing && <OrganizationForm org={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function OrganizationForm({ org, onClose }: { org: Organization | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSave<Organization>('organizations');
  const [values, setValues] = useState({
    name: org?.name ?? '',
    code: org?.code ?? '',
    locale: org?.locale ?? 'fr',
    timezone: org?.timezone ?? defaultTimeZone(),
    maturityLevel: String(org?.maturityLevel ?? 1),
    autoCloseDays: org?.autoCloseDays ?? 7,
    slaEnabled: org?.slaEnabled === true ? 'on' : org?.slaEnabled === false ? 'off' : 'auto',
  });
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const server = saveErrors(save.error, FIELDS, t);
  const errors = { ...server.fields, ...clientErrors };
  const timeZones = useTimeZoneOptions(values.timezone);
  const set = <K extends keyof typeof values>(key: K, value: (typeof values)[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setClientErrors((e) => ({ ...e, [key]: undefined }));
  };

  const submit = () => {
    const found = compact({
      name: check.required(values.name, t),
      code: check.required(values.code, t) ?? (/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(values.code.trim()) ? undefined : t('admin.errors.code')),
    });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(
      {
        id: org?.id,
        body: {
          name: values.name.trim(),
          code: values.code.trim(),
          locale: values.locale,
          timezone: values.timezone,
          maturityLevel: Number(values.maturityLevel),
          autoCloseDays: values.autoCloseDays,
          slaEnabled: values.slaEnabled === 'auto' ? null : values.slaEnabled === 'on',
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

  return (
    <FormModal
      title={org ? t('admin.organizations.editTitle', { name: org.name }) : t('admin.organizations.create')}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      generalError={server.general}
    >
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('admin.organizations.name')} required data-autofocus value={values.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} maxLength={200} />
        <TextInput
          label={t('admin.organizations.code')}
          description={t('admin.organizations.codeHelp')}
          required
          value={values.code}
          onChange={(e) => set('code', e.currentTarget.value.toUpperCase())}
          error={errors.code}
          maxLength={32}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Select
          label={t('admin.locale.label')}
          required
          allowDeselect={false}
          value={values.locale}
          onChange={(v) => v && set('locale', v as 'fr' | 'en')}
          data={[
            { value: 'fr', label: t('admin.locale.fr') },
            { value: 'en', label: t('admin.locale.en') },
          ]}
          error={errors.locale}
        />
        <Select
          label={t('admin.organizations.timezone')}
          required
          searchable
          allowDeselect={false}
          nothingFoundMessage={t('admin.nothingFound')}
          value={values.timezone}
          onChange={(v) => v && set('timezone', v)}
          data={timeZones}
          error={errors.timezone}
        />
        <NumberInput
          label={t('admin.organizations.autoCloseDays')}
          description={t('admin.organizations.autoCloseDaysHelp')}
          min={0}
          max={365}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="strict"
          value={values.autoCloseDays}
          onChange={(v) => set('autoCloseDays', typeof v === 'number' ? v : 0)}
          error={errors.autoCloseDays}
        />
        <Select
          label={t('admin.organizations.slaEnabled')}
          description={t(slaApplies(values.slaEnabled, Number(values.maturityLevel)) ? 'admin.organizations.slaNowOn' : 'admin.organizations.slaNowOff')}
          allowDeselect={false}
          value={values.slaEnabled}
          onChange={(v) => v && set('slaEnabled', v as 'auto' | 'on' | 'off')}
          data={(['auto', 'on', 'off'] as const).map((v) => ({ value: v, label: t(`admin.organizations.sla.${v}`) }))}
          error={errors.slaEnabled}
        />
      </SimpleGrid>
      <Radio.Group
        label={t('admin.organizations.maturity')}
        description={t('admin.organizations.maturityHelp')}
        value={values.maturityLevel}
        onChange={(v) => set('maturityLevel', v)}
        error={errors.maturityLevel}
      >
        <Stack gap="sm" mt="xs">
          {LEVELS.map((level) => (
            <Radio
              key={level}
              value={level}
              label={`${level} · ${t(`admin.maturity.${level}.name`)}`}
              description={t(`admin.maturity.${level}.description`)}
            />
          ))}
        </Stack>
      </Radio.Group>
    </FormModal>
  );
}

/** SLAs apply from maturity level 2, unless the organization forces them on or off. */
function slaApplies(choice: string, maturityLevel: number): boolean {
  return choice === 'auto' ? maturityLevel >= 2 : choice === 'on';
}

/** IANA time zones with their current UTC offset, searchable by either; keeps a value the browser lacks. */
export function useTimeZoneOptions(current: string) {
  const all = useMemo(() => {
    const zones = Intl.supportedValuesOf('timeZone');
    if (!zones.includes('UTC')) zones.unshift('UTC');
    return zones.map((zone) => ({ value: zone, label: `${zone} (${offsetOf(zone)})` }));
  }, []);
  return useMemo(() => (all.some((o) => o.value === current) ? all : [{ value: current, label: current }, ...all]), [all, current]);
}

function offsetOf(zone: string): string {
  try {
    const part = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName');
    return part?.value === 'GMT' ? 'UTC' : (part?.value.replace('GMT', 'UTC') ?? '');
  } catch {
    return '';
  }
}

export function defaultTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

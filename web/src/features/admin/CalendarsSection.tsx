import { ActionIcon, Alert, Button, Checkbox, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { Calendar as CalendarSchema } from '../../../../contract/calendars.ts';
import { api, ApiError } from '../../app/api.ts';
import { formatDateTime } from '../../app/format.ts';
import { useSave } from './api.ts';
import { DirectoryList } from './DirectoryList.tsx';
import { check, compact, type FieldErrors, FormModal, saveErrors } from './FormModal.tsx';
import { defaultTimeZone, useTimeZoneOptions } from './OrganizationsSection.tsx';

type Calendar = z.infer<typeof CalendarSchema>;
type Hours = Calendar['hours'][number];
type HolidayRow = Calendar['holidays'][number];

const FIELDS = ['name', 'timezone', 'hours', 'holidays'] as const;
const DAYS = [1, 2, 3, 4, 5, 6, 7];
const OFFICE: Hours[] = [1, 2, 3, 4, 5].flatMap((day) => [{ day, start: '09:00', end: '12:00' }, { day, start: '13:00', end: '17:00' }]);
const ALWAYS: Hours[] = DAYS.map((day) => ({ day, start: '00:00', end: '24:00' }));

/** Business calendars that SLA policies count time on (managers and admins). */
export function CalendarsSection() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Calendar | 'new' | null>(null);
  return (
    <>
      <DirectoryList<Calendar>
        resource="calendars"
        title={t('admin.calendars.title')}
        createLabel={t('admin.calendars.create')}
        searchable={false}
        rowName={(c) => c.name}
        onCreate={() => setEditing('new')}
        onEdit={setEditing}
        columns={[
          { header: t('admin.calendars.name'), render: (c) => <Text size="sm" fw={500}>{c.name}</Text> },
          { header: t('admin.calendars.timezone'), render: (c) => c.timezone },
          { header: t('admin.calendars.hours'), render: (c) => <Text size="sm">{summary(c.hours, t)}</Text> },
          { header: t('admin.calendars.holidays'), render: (c) => String(c.holidays.length) },
        ]}
      />
      {editing && <CalendarForm calendar={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function CalendarForm({ calendar, onClose }: { calendar: Calendar | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSave<Calendar>('calendars');
  const [name, setName] = useState(calendar?.name ?? '');
  const [timezone, setTimezone] = useState(calendar?.timezone ?? defaultTimeZone());
  const [hours, setHours] = useState<Hours[]>(calendar?.hours ?? OFFICE);
  const [holidays, setHolidays] = useState<HolidayRow[]>(calendar?.holidays ?? []);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const zones = useTimeZoneOptions(timezone);
  const server = saveErrors(save.error, FIELDS, t);
  const errors = { ...server.fields, ...clientErrors };
  const pathError = (path: string) => (save.error instanceof ApiError ? save.error.errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message : undefined);

  const submit = () => {
    const found = compact({ name: check.required(name, t) });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(
      { id: calendar?.id, body: { name: name.trim(), timezone, hours, holidays } },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: t('admin.saved', { name: saved.name }) });
          onClose();
        },
      },
    );
  };
  const setHour = (i: number, patch: Partial<Hours>) => setHours((hs) => hs.map((h, k) => (k === i ? { ...h, ...patch } : h)));
  const setHoliday = (i: number, patch: Partial<HolidayRow>) => setHolidays((hs) => hs.map((h, k) => (k === i ? { ...h, ...patch } : h)));

  return (
    <FormModal
      title={calendar ? t('admin.calendars.editTitle', { name: calendar.name }) : t('admin.calendars.create')}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      generalError={server.general}
      size="xl"
    >
      <TextInput label={t('admin.calendars.name')} required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} maxLength={200} />
      <Select label={t('admin.calendars.timezone')} searchable allowDeselect={false} data={zones} value={timezone} onChange={(v) => v && setTimezone(v)} error={errors.timezone} />

      <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
        <Group justify="space-between">
          <Title order={3} size="h5" component="legend">
            {t('admin.calendars.hours')}
          </Title>
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => setHours(OFFICE)}>
              {t('admin.calendars.presetOffice')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setHours(ALWAYS)}>
              {t('admin.calendars.preset247')}
            </Button>
          </Group>
        </Group>
        {pathError('hours') && !hours.some((_, i) => pathError(`hours.${i}`)) && (
          <Text size="sm" c="red">
            {pathError('hours')}
          </Text>
        )}
        {hours.map((h, i) => (
          <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
            <Select
              aria-label={t('admin.calendars.day')}
              w={140}
              allowDeselect={false}
              data={DAYS.map((d) => ({ value: String(d), label: t(`admin.calendars.days.${d}`) }))}
              value={String(h.day)}
              onChange={(v) => v && setHour(i, { day: Number(v) })}
              error={pathError(`hours.${i}.day`)}
            />
            <TextInput aria-label={t('admin.calendars.start')} w={90} value={h.start} onChange={(e) => setHour(i, { start: e.currentTarget.value })} error={pathError(`hours.${i}.start`) ?? (pathError(`hours.${i}`) && !pathError(`hours.${i}.end`) ? pathError(`hours.${i}`) : undefined)} />
            <TextInput aria-label={t('admin.calendars.end')} w={90} value={h.end} onChange={(e) => setHour(i, { end: e.currentTarget.value })} error={pathError(`hours.${i}.end`)} />
            <ActionIcon variant="subtle" color="red" aria-label={t('admin.calendars.removeRow')} onClick={() => setHours((hs) => hs.filter((_, k) => k !== i))} mt={6}>
              ×
            </ActionIcon>
          </Group>
        ))}
        <Button size="xs" variant="light" w="fit-content" onClick={() => setHours((hs) => [...hs, { day: 1, start: '09:00', end: '17:00' }])}>
          {t('admin.calendars.addHours')}
        </Button>
      </Stack>

      <Stack gap="xs" component="fieldset" style={{ border: 0, padding: 0, margin: 0 }}>
        <Title order={3} size="h5" component="legend">
          {t('admin.calendars.holidays')}
        </Title>
        {holidays.map((h, i) => (
          <Group key={i} gap="xs" align="flex-start" wrap="nowrap">
            <TextInput aria-label={t('admin.calendars.date')} type="date" w={170} value={h.date} onChange={(e) => setHoliday(i, { date: e.currentTarget.value })} error={pathError(`holidays.${i}.date`)} />
            <TextInput aria-label={t('admin.calendars.holidayName')} placeholder={t('admin.calendars.holidayName')} value={h.name} onChange={(e) => setHoliday(i, { name: e.currentTarget.value })} />
            <Checkbox label={t('admin.calendars.recurring')} checked={h.recurring} onChange={(e) => setHoliday(i, { recurring: e.currentTarget.checked })} mt={8} />
            <ActionIcon variant="subtle" color="red" aria-label={t('admin.calendars.removeRow')} onClick={() => setHolidays((hs) => hs.filter((_, k) => k !== i))} mt={6}>
              ×
            </ActionIcon>
          </Group>
        ))}
        <Button size="xs" variant="light" w="fit-content" onClick={() => setHolidays((hs) => [...hs, { date: new Date().toISOString().slice(0, 10), name: '', recurring: false }])}>
          {t('admin.calendars.addHoliday')}
        </Button>
      </Stack>

      {calendar ? <Preview calendarId={calendar.id} /> : <Text size="sm" c="dimmed">{t('admin.calendars.previewAfterSave')}</Text>}
    </FormModal>
  );
}

/** "A 4-hour target starting now is due …", on the saved calendar. */
function Preview({ calendarId }: { calendarId: number }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState('240');
  const deadline = useMutation({
    mutationFn: (m: number) => api<{ deadline: string }>(`/calendars/${calendarId}/deadline`, { method: 'POST', body: { start: new Date().toISOString(), minutes: m } }),
  });
  return (
    <Paper withBorder p="sm" bg="gray.0">
      <Group gap="xs" align="flex-end">
        <Select
          label={t('admin.calendars.previewTarget')}
          w={200}
          allowDeselect={false}
          value={minutes}
          onChange={(v) => v && setMinutes(v)}
          data={['60', '240', '480', '960', '2400'].map((m) => ({ value: m, label: t(`admin.calendars.targets.${m}`) }))}
        />
        <Button variant="default" onClick={() => deadline.mutate(Number(minutes))} loading={deadline.isPending}>
          {t('admin.calendars.previewButton')}
        </Button>
      </Group>
      {deadline.data && (
        <Text size="sm" mt="xs" role="status" data-testid="calendar-preview">
          {t('admin.calendars.previewResult', { target: t(`admin.calendars.targets.${minutes}`), date: formatDateTime(deadline.data.deadline) })}
        </Text>
      )}
      {deadline.error && <Alert color="red" mt="xs">{(deadline.error as Error).message}</Alert>}
    </Paper>
  );
}

function summary(hours: Hours[], t: (k: string, o?: Record<string, unknown>) => string): string {
  const days = [...new Set(hours.map((h) => h.day))].sort();
  const perDay = hours.filter((h) => h.day === days[0]).map((h) => `${h.start}–${h.end}`).join(', ');
  return `${days.map((d) => t(`admin.calendars.daysShort.${d}`)).join(' ')} · ${perDay}`;
}

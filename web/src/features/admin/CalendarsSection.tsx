import { ActionIcon, Alert, Button, Checkbox, Group, Loader, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { Calendar as CalendarSchema } from '../../../../contract/calendars.ts';
import { api, ApiError } from '../../app/api.ts';
import { useSave } from './api.ts';
import { DirectoryList } from './DirectoryList.tsx';
import { check, compact, type FieldErrors, FormModal, saveErrors, translateApiMessage } from './FormModal.tsx';
import { defaultTimeZone, useTimeZoneOptions } from './OrganizationsSection.tsx';
import { ALL_DAYS, ALWAYS_OPEN, OFFICE_HOURS, overlappedRow, summarizeHours } from './sla-values.ts';

type Calendar = z.infer<typeof CalendarSchema>;
type Hours = Calendar['hours'][number];
type HolidayRow = Calendar['holidays'][number];

const FIELDS = ['name', 'timezone', 'hours', 'holidays'] as const;
/** Preview targets, in business minutes: 1 h, 4 h, 8 h, two 8-hour days, a 40-hour week. */
const PREVIEW_TARGETS = ['60', '240', '480', '960', '2400'] as const;
const fieldset = { border: 0, padding: 0, margin: 0, minWidth: 0 } as const;

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
          { header: t('admin.calendars.hours'), render: (c) => <Text size="sm">{summarizeHours(c.hours, (d) => t(`admin.calendars.daysShort.${d}`))}</Text> },
          { header: t('admin.calendars.holidays'), render: (c) => String(c.holidays.length) },
        ]}
      />
      {editing && (
        <CalendarForm
          // A new calendar, once saved, reopens as itself: its preview can then be computed.
          key={editing === 'new' ? 'new' : editing.id}
          calendar={editing === 'new' ? null : editing}
          onSaved={(saved, created) => (created ? setEditing(saved) : setEditing(null))}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

function CalendarForm({ calendar, onSaved, onClose }: { calendar: Calendar | null; onSaved: (saved: Calendar, created: boolean) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSave<Calendar>('calendars');
  const [name, setName] = useState(calendar?.name ?? '');
  const [timezone, setTimezone] = useState(calendar?.timezone ?? defaultTimeZone());
  const [hours, setHours] = useState<Hours[]>(calendar?.hours ?? OFFICE_HOURS);
  const [holidays, setHolidays] = useState<HolidayRow[]>(calendar?.holidays ?? []);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const zones = useTimeZoneOptions(timezone);
  const server = saveErrors(save.error, FIELDS, t);
  const errors = { ...server.fields, ...clientErrors };
  const pathError = (path: string) => apiPathError(save.error, path, hours, t);
  const dirty = calendar !== null && JSON.stringify({ name, timezone, hours, holidays }) !== JSON.stringify({ name: calendar.name, timezone: calendar.timezone, hours: calendar.hours, holidays: calendar.holidays });

  const submit = () => {
    const found = compact({ name: check.required(name, t) });
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    save.mutate(
      { id: calendar?.id, body: { name: name.trim(), timezone, hours, holidays: holidays.map((h) => ({ ...h, name: h.name.trim() })) } },
      {
        onSuccess: (saved) => {
          notifications.show({ color: 'green', message: t('admin.saved', { name: saved.name }) });
          onSaved(saved, calendar === null);
        },
      },
    );
  };
  // Adding, removing or replacing rows shifts the row numbers that the API's errors point to: forget them.
  const reshapeHours = (next: (hs: Hours[]) => Hours[]) => {
    save.reset();
    setHours(next);
  };
  const reshapeHolidays = (next: (hs: HolidayRow[]) => HolidayRow[]) => {
    save.reset();
    setHolidays(next);
  };
  const setHour = (i: number, patch: Partial<Hours>) => setHours((hs) => hs.map((h, k) => (k === i ? { ...h, ...patch } : h)));
  const setHoliday = (i: number, patch: Partial<HolidayRow>) => setHolidays((hs) => hs.map((h, k) => (k === i ? { ...h, ...patch } : h)));
  const dayOptions = ALL_DAYS.map((d) => ({ value: String(d), label: t(`admin.calendars.days.${d}`) }));

  return (
    <FormModal
      title={calendar ? t('admin.calendars.editTitle', { name: calendar.name }) : t('admin.calendars.create')}
      onClose={onClose}
      onSubmit={submit}
      saving={save.isPending}
      generalError={server.general}
      size="xl"
    >
      <Group grow align="flex-start">
        <TextInput label={t('admin.calendars.name')} required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} maxLength={200} />
        <Select
          label={t('admin.calendars.timezone')}
          description={t('admin.calendars.timezoneHelp')}
          required
          searchable
          allowDeselect={false}
          nothingFoundMessage={t('admin.nothingFound')}
          data={zones}
          value={timezone}
          onChange={(v) => v && setTimezone(v)}
          error={errors.timezone}
        />
      </Group>

      <Stack gap="xs" component="fieldset" style={fieldset}>
        <Group justify="space-between" w="100%">
          <Title order={3} size="h5" component="legend">
            {t('admin.calendars.hours')}
          </Title>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('admin.calendars.presets')}
            </Text>
            <Button size="xs" variant="default" onClick={() => reshapeHours(() => OFFICE_HOURS)}>
              {t('admin.calendars.presetOffice')}
            </Button>
            <Button size="xs" variant="default" onClick={() => reshapeHours(() => ALWAYS_OPEN)}>
              {t('admin.calendars.preset247')}
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed">
          {t('admin.calendars.hoursHelp')}
        </Text>
        {pathError('hours') && (
          <Text size="sm" c="red" role="alert">
            {pathError('hours')}
          </Text>
        )}
        {hours.length > 0 && (
          <Group gap="xs" wrap="nowrap" aria-hidden>
            <Text size="sm" fw={500} w={150}>
              {t('admin.calendars.day')}
            </Text>
            <Text size="sm" fw={500} w={100}>
              {t('admin.calendars.start')}
            </Text>
            <Text size="sm" fw={500} w={100}>
              {t('admin.calendars.end')}
            </Text>
          </Group>
        )}
        {hours.map((h, i) => {
          const row = { n: i + 1 };
          // Messages go on a line under the row (the inputs are narrow); the inputs point to it.
          const problems = {
            day: pathError(`hours.${i}.day`),
            start: pathError(`hours.${i}.start`),
            end: pathError(`hours.${i}.end`),
            row: pathError(`hours.${i}`),
          };
          const messageId = `hours-row-${i}-error`;
          const invalid = (own: string | undefined) => (own ? { error: true, 'aria-describedby': messageId } : {});
          const messages = [
            problems.day && t('admin.calendars.fieldError', { field: t('admin.calendars.day'), message: problems.day }),
            problems.start && t('admin.calendars.fieldError', { field: t('admin.calendars.start'), message: problems.start }),
            problems.end && t('admin.calendars.fieldError', { field: t('admin.calendars.end'), message: problems.end }),
            problems.row,
          ].filter(Boolean);
          return (
            <Stack key={i} gap={2} data-testid="hours-row">
              <Group gap="xs" align="flex-start" wrap="nowrap">
                <Select aria-label={t('admin.calendars.dayOfRow', row)} w={150} allowDeselect={false} data={dayOptions} value={String(h.day)} onChange={(v) => v && setHour(i, { day: Number(v) })} {...invalid(problems.day)} />
                <TextInput
                  aria-label={t('admin.calendars.startOfRow', row)}
                  w={100}
                  placeholder="09:00"
                  inputMode="numeric"
                  maxLength={5}
                  value={h.start}
                  onChange={(e) => setHour(i, { start: e.currentTarget.value })}
                  // An overlap is reported on the row as a whole: marked on its start.
                  {...invalid(problems.start ?? problems.row)}
                />
                <TextInput aria-label={t('admin.calendars.endOfRow', row)} w={100} placeholder="17:00" inputMode="numeric" maxLength={5} value={h.end} onChange={(e) => setHour(i, { end: e.currentTarget.value })} {...invalid(problems.end)} />
                <ActionIcon variant="subtle" color="red" c="red.9" size="lg" aria-label={t('admin.calendars.removeHours', row)} onClick={() => reshapeHours((hs) => hs.filter((_, k) => k !== i))} mt={2}>
                  ×
                </ActionIcon>
              </Group>
              {messages.length > 0 && (
                <Text size="sm" c="red.8" id={messageId} data-testid="hours-row-error">
                  {messages.join(' · ')}
                </Text>
              )}
            </Stack>
          );
        })}
        <Button size="xs" variant="light" w="fit-content" onClick={() => reshapeHours((hs) => [...hs, nextInterval(hs)])}>
          {t('admin.calendars.addHours')}
        </Button>
      </Stack>

      <Stack gap="xs" component="fieldset" style={fieldset}>
        <Title order={3} size="h5" component="legend">
          {t('admin.calendars.holidays')}
        </Title>
        {holidays.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('admin.calendars.noHolidays')}
          </Text>
        )}
        {holidays.map((h, i) => {
          const row = { n: i + 1 };
          return (
            <Group key={i} gap="xs" align="flex-start" wrap="nowrap" data-testid="holiday-row">
              <TextInput aria-label={t('admin.calendars.dateOfRow', row)} type="date" w={170} value={h.date} onChange={(e) => setHoliday(i, { date: e.currentTarget.value })} error={pathError(`holidays.${i}.date`)} />
              <TextInput
                aria-label={t('admin.calendars.holidayNameOfRow', row)}
                placeholder={t('admin.calendars.holidayName')}
                style={{ flex: 1 }}
                maxLength={200}
                value={h.name}
                onChange={(e) => setHoliday(i, { name: e.currentTarget.value })}
                error={pathError(`holidays.${i}.name`)}
              />
              <Checkbox label={t('admin.calendars.recurring')} checked={h.recurring} onChange={(e) => setHoliday(i, { recurring: e.currentTarget.checked })} mt={8} />
              <ActionIcon variant="subtle" color="red" c="red.9" size="lg" aria-label={t('admin.calendars.removeHoliday', row)} onClick={() => reshapeHolidays((hs) => hs.filter((_, k) => k !== i))} mt={2}>
                ×
              </ActionIcon>
            </Group>
          );
        })}
        {pathError('holidays') && (
          <Text size="sm" c="red" role="alert">
            {pathError('holidays')}
          </Text>
        )}
        <Button size="xs" variant="light" w="fit-content" onClick={() => reshapeHolidays((hs) => [...hs, { date: '', name: '', recurring: false }])}>
          {t('admin.calendars.addHoliday')}
        </Button>
      </Stack>

      <Preview calendar={calendar} dirty={dirty} />
    </FormModal>
  );
}

/** "A 4-hour target starting now is due …", computed by the API on the saved calendar. */
function Preview({ calendar, dirty }: { calendar: Calendar | null; dirty: boolean }) {
  const { t, i18n } = useTranslation();
  const [minutes, setMinutes] = useState<string>('240');
  const deadline = useQuery({
    queryKey: ['admin', 'calendars', calendar?.id, calendar?.updatedAt, 'deadline', minutes],
    queryFn: async () => {
      const start = new Date().toISOString();
      const r = await api<{ deadline: string }>(`/calendars/${calendar!.id}/deadline`, { method: 'POST', body: { start, minutes: Number(minutes) } });
      return { start, deadline: r.deadline };
    },
    enabled: calendar !== null,
    staleTime: 30_000,
  });
  const target = t(`admin.calendars.targetsInSentence.${minutes}`);

  return (
    <Paper withBorder p="sm" bg="gray.0" component="section" aria-labelledby="calendar-preview-title">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="xs">
        <Title order={3} size="h5" id="calendar-preview-title">
          {t('admin.calendars.preview')}
        </Title>
        {calendar && (
          <Select
            label={t('admin.calendars.previewTarget')}
            w={260}
            allowDeselect={false}
            value={minutes}
            onChange={(v) => v && setMinutes(v)}
            data={PREVIEW_TARGETS.map((m) => ({ value: m, label: t(`admin.calendars.targets.${m}`) }))}
          />
        )}
      </Group>
      <div aria-live="polite">
        {calendar === null ? (
          <Text size="sm" mt="xs">
            {t('admin.calendars.previewAfterSave')}
          </Text>
        ) : deadline.isPending ? (
          <Loader role="status" size="sm" mt="xs" aria-label={t('common.loading')} />
        ) : deadline.isError ? (
          <Alert color="red" mt="xs">
            {deadline.error instanceof ApiError ? deadline.error.detail : t('common.error')}
          </Alert>
        ) : (
          <Stack gap={4} mt="xs" data-testid="calendar-preview">
            <Text size="sm">{t('admin.calendars.previewResult', { target, date: longDateTime(deadline.data.deadline, i18n.language) })}</Text>
            {differentOffset(deadline.data.deadline, calendar.timezone) && (
              <Text size="sm" c="dimmed">
                {t('admin.calendars.previewInZone', { date: longDateTime(deadline.data.deadline, i18n.language, calendar.timezone), zone: calendar.timezone })}
              </Text>
            )}
            {dirty && (
              <Text size="sm" c="dimmed">
                {t('admin.calendars.previewSavedVersion')}
              </Text>
            )}
          </Stack>
        )}
      </div>
    </Paper>
  );
}

/** The API's message for one path of the calendar (`hours.2.end`), in the user's language. */
function apiPathError(error: unknown, path: string, hours: Hours[], t: TFunction): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const found = error.errors.find((e) => e.path === path);
  if (!found) return undefined;
  const other = overlappedRow(found.message);
  if (other !== null && hours[other]) {
    const h = hours[other];
    return t('admin.errors.overlaps', { n: other + 1, day: t(`admin.calendars.days.${h.day}`), start: h.start, end: h.end });
  }
  return translateApiMessage(path.split('.')[0] ?? '', found.message, t);
}

/** A new row: the day after the last row's, same hours (Monday 9–17 for the first). */
function nextInterval(hours: Hours[]): Hours {
  const last = hours[hours.length - 1];
  return last ? { day: (last.day % 7) + 1, start: last.start, end: last.end } : { day: 1, start: '09:00', end: '17:00' };
}

/** "Wednesday 4 December 2026 at 14:42", in the user's language and the given (default: the browser's) zone. */
function longDateTime(iso: string, language: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** Whether the browser's zone and the calendar's read different clock times at this instant. */
function differentOffset(iso: string, timeZone: string): boolean {
  const at = new Date(iso);
  const clock = (zone?: string) => {
    try {
      return new Intl.DateTimeFormat('en', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(at);
    } catch {
      return '';
    }
  };
  return clock() !== clock(timeZone);
}

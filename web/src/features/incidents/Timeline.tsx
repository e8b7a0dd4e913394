import { Anchor, Box, Group, Image, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format.ts';
import type { TimelineEntry } from './api.ts';

type Change = { field: string; from: unknown; to: unknown };
/** Names a field's value in an event line (a team's name for a teamId, …); undefined falls back to the raw value. */
export type DescribeValue = (field: string, value: unknown) => string | undefined;

/** Public replies, internal notes (visibly different) and system events, oldest first. */
export function Timeline({ entries, describe }: { entries: TimelineEntry[]; describe?: DescribeValue }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <Text c="dimmed">{t('timeline.empty')}</Text>;
  return (
    <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('timeline.title')}>
      {entries.map((e) => (
        <Box component="li" key={e.id} data-testid={`timeline-${e.kind}`} data-visibility={e.visibility}>
          {e.kind === 'event' ? <EventLine entry={e} describe={describe} /> : <Message entry={e} />}
        </Box>
      ))}
    </Stack>
  );
}

function Message({ entry }: { entry: TimelineEntry }) {
  const { t } = useTranslation();
  const internal = entry.visibility === 'internal';
  return (
    <Paper
      withBorder
      p="sm"
      bg={internal ? 'yellow.0' : undefined}
      style={internal ? { borderColor: 'var(--mantine-color-yellow-6)', borderLeftWidth: 4 } : { borderLeftWidth: 4, borderLeftColor: 'var(--mantine-color-blue-6)' }}
    >
      <Group justify="space-between" gap="xs" mb={4}>
        <Text size="sm" fw={600}>
          {entry.authorName ?? t('timeline.system')}
          {internal && (
            <Text span size="xs" fw={700} c="#8a5300" ml="xs" tt="uppercase">
              {t('timeline.internalNote')}
            </Text>
          )}
          {entry.event === 'parent_update' && (
            <Text span size="xs" c="dimmed" ml="xs">
              {t('timeline.fromParent')}
            </Text>
          )}
        </Text>
        <Text size="xs" c="dimmed" component="time" dateTime={entry.createdAt}>
          {formatDateTime(entry.createdAt)}
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {entry.body}
      </Text>
    </Paper>
  );
}

function EventLine({ entry, describe }: { entry: TimelineEntry; describe?: DescribeValue }) {
  const { t } = useTranslation();
  const changes = (entry.changes ?? []) as Change[];
  return (
    <Box px="sm">
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed">
          <Text span fw={600} c="dark.4">
            {entry.authorName ?? t('timeline.system')}
          </Text>{' '}
          {t(`timeline.event.${entry.event ?? 'changed'}`, { defaultValue: t('timeline.event.changed') })}
          {entry.event !== 'attachments_added' &&
            changes.map((c) => (
              <Text span key={c.field} ml={6}>
                · {t(`field.${c.field}`, { defaultValue: c.field })}: {(c.from != null && describe?.(c.field, c.from)) || valueLabel(c.field, c.from, t)} →{' '}
                {(c.to != null && describe?.(c.field, c.to)) || valueLabel(c.field, c.to, t)}
              </Text>
            ))}
        </Text>
        <Text size="xs" c="dimmed" component="time" dateTime={entry.createdAt} style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(entry.createdAt)}
        </Text>
      </Group>
      {entry.attachments.length > 0 && <Attachments files={entry.attachments} />}
    </Box>
  );
}

function Attachments({ files }: { files: TimelineEntry['attachments'] }) {
  const { t } = useTranslation();
  const images = files.filter((f) => /^image\/(png|jpeg|gif|webp)$/.test(f.contentType));
  return (
    <Stack gap={4} mt={4}>
      {files.map((f) => (
        <Anchor key={f.id} href={f.url} size="sm" download={f.filename}>
          {f.filename} ({Math.max(1, Math.round(f.size / 1024))} {t('units.kb')})
        </Anchor>
      ))}
      {images.length > 0 && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs">
          {images.map((f) => (
            <Image key={f.id} src={f.url} alt={f.filename} radius="sm" h={96} fit="cover" loading="lazy" />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function valueLabel(field: string, value: unknown, t: (k: string) => string): string {
  if (value === null || value === undefined || value === '') return t('timeline.none');
  if (field === 'status') return t(`status.${String(value)}`);
  if (field === 'pendingReason') return t(`pendingReason.${String(value)}`);
  if (field === 'resolutionCode') return t(`resolutionCode.${String(value)}`);
  if (field === 'priority') return t(`priority.${String(value)}`);
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

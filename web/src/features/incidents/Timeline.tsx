import { Anchor, Image, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../app/format.ts';
import type { TimelineEntry } from './api.ts';
import classes from './Timeline.module.css';

type Change = { field: string; from: unknown; to: unknown };
/** Names a field's value in an event line (a team's name for a teamId, …); undefined falls back to the raw value. */
export type DescribeValue = (field: string, value: unknown) => string | undefined;

/** Public replies, internal notes (visibly different) and system events, oldest first. */
export function Timeline({ entries, describe }: { entries: TimelineEntry[]; describe?: DescribeValue }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <Text c="dimmed">{t('timeline.empty')}</Text>;
  return (
    <ol className={classes.list} aria-label={t('timeline.title')}>
      {entries.map((e) => (
        <li key={e.id} className={classes.entry} data-testid={`timeline-${e.kind}`} data-visibility={e.visibility}>
          {e.kind === 'event' ? <EventLine entry={e} describe={describe} t={t} /> : <Message entry={e} t={t} />}
        </li>
      ))}
    </ol>
  );
}

// Entries are plain elements styled by Timeline.module.css, and take `t` from the list: a 200-entry
// timeline renders much faster than with Mantine components and a translation hook per line.
type T = (key: string, options?: Record<string, unknown>) => string;

function Message({ entry, t }: { entry: TimelineEntry; t: T }) {
  const internal = entry.visibility === 'internal';
  return (
    <div className={internal ? `${classes.message} ${classes.internal}` : classes.message}>
      <div className={classes.head}>
        <p className={classes.author}>
          {entry.authorName ?? t('timeline.system')}
          {internal && <span className={classes.internalLabel}>{t('timeline.internalNote')}</span>}
          {entry.event === 'parent_update' && <span className={classes.aside}>{t('timeline.fromParent')}</span>}
        </p>
        <time className={classes.time} dateTime={entry.createdAt}>
          {formatDateTime(entry.createdAt)}
        </time>
      </div>
      <p className={classes.body}>{entry.body}</p>
    </div>
  );
}

function EventLine({ entry, describe, t }: { entry: TimelineEntry; describe?: DescribeValue; t: T }) {
  const changes = (entry.changes ?? []) as Change[];
  return (
    <div className={classes.event}>
      <div className={classes.eventLine}>
        <p className={classes.eventText}>
          <span className={classes.eventAuthor}>{entry.authorName ?? t('timeline.system')}</span>{' '}
          {t(`timeline.event.${entry.event ?? 'changed'}`, { defaultValue: t('timeline.event.changed') })}
          {entry.event !== 'attachments_added' &&
            changes.map((c) => (
              <span key={c.field} className={classes.change}>
                · {t(`field.${c.field}`, { defaultValue: c.field })}: {(c.from != null && describe?.(c.field, c.from)) || valueLabel(c.field, c.from, t)} →{' '}
                {(c.to != null && describe?.(c.field, c.to)) || valueLabel(c.field, c.to, t)}
              </span>
            ))}
        </p>
        <time className={classes.time} dateTime={entry.createdAt}>
          {formatDateTime(entry.createdAt)}
        </time>
      </div>
      {entry.attachments.length > 0 && <Attachments files={entry.attachments} />}
    </div>
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
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) return formatDateTime(value);
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

import { Alert, Anchor, Button, FileInput, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../../app/api.ts';
import { formatDateTime } from '../../app/format.ts';
import { useLiveUpdates } from '../../app/live.ts';
import type { Me } from '../auth/session.ts';
import { useComment, useIncident, useInvalidateIncident, useTimeline, useTransition } from '../incidents/api.ts';
import { uploadAttachments } from '../incidents/attachments.ts';
import { PriorityBadge, StatusBadge } from '../incidents/badges.tsx';
import { Timeline } from '../incidents/Timeline.tsx';

/** A requester's view of one incident: the public timeline, a reply box, and confirm / not fixed once resolved. */
export default function PortalIncident({ id }: { id: string; me: Me }) {
  const { t } = useTranslation();
  useLiveUpdates();
  const incident = useIncident(id);
  const timeline = useTimeline(id);

  if (incident.isError) {
    return (
      <Alert color="red" title={t('portal.incident.notFound')}>
        <Anchor component={Link} href="/portal">
          {t('portal.incident.back')}
        </Anchor>
      </Alert>
    );
  }
  if (!incident.data) return <Text>{t('common.loading')}</Text>;
  const i = incident.data;

  return (
    <Stack maw={760} mx="auto">
      <Anchor component={Link} href="/portal" size="sm">
        ← {t('portal.incident.back')}
      </Anchor>
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          {i.ref} · {t('portal.incident.reported', { when: formatDateTime(i.reportedAt) })}
        </Text>
        <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
          {i.title}
        </Title>
        <Group gap="xs">
          <StatusBadge status={i.status} />
          <PriorityBadge priority={i.priority} />
        </Group>
      </Stack>
      {i.description && (
        <Paper withBorder p="sm">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {i.description}
          </Text>
        </Paper>
      )}
      {i.status === 'resolved' && <ResolutionBox id={i.id} resolution={i.resolution} />}
      <Title order={2} size="h3">
        {t('timeline.title')}
      </Title>
      {timeline.data && <Timeline entries={timeline.data.items} />}
      {i.status !== 'closed' ? <ReplyBox id={i.id} /> : <Text c="dimmed">{t('portal.incident.closed')}</Text>}
    </Stack>
  );
}

function ResolutionBox({ id, resolution }: { id: number; resolution: string | null }) {
  const { t } = useTranslation();
  const transition = useTransition(id);
  const [notFixed, setNotFixed] = useState(false);
  const [why, setWhy] = useState('');
  return (
    // Title and button a shade darker than the palette's: green on light green, and white on green-8, are under 4.5:1.
    <Alert color="green" title={t('portal.incident.resolvedTitle')} styles={{ title: { color: 'color-mix(in srgb, var(--mantine-color-green-9), black 30%)' } }}>
      <Stack gap="sm">
        {resolution && <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{resolution}</Text>}
        {!notFixed ? (
          <Group>
            <Button color="teal.9" loading={transition.isPending} onClick={() => transition.mutate({ to: 'closed' })}>
              {t('portal.incident.confirm')}
            </Button>
            <Button variant="default" onClick={() => setNotFixed(true)}>
              {t('portal.incident.notFixed')}
            </Button>
          </Group>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              transition.mutate({ to: 'in_progress', ...(why.trim() && { comment: why.trim() }) });
            }}
          >
            <Stack gap="xs">
              <Textarea label={t('portal.incident.notFixedWhy')} autosize minRows={2} value={why} onChange={(e) => setWhy(e.currentTarget.value)} />
              <Group>
                <Button type="submit" color="orange" autoContrast loading={transition.isPending}>
                  {t('portal.incident.reopen')}
                </Button>
                <Button variant="subtle" onClick={() => setNotFixed(false)}>
                  {t('common.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Alert>
  );
}

function ReplyBox({ id }: { id: number }) {
  const { t } = useTranslation();
  const comment = useComment(id);
  const invalidate = useInvalidateIncident();
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send() {
    setError(null);
    try {
      if (body.trim()) await comment.mutateAsync({ body: body.trim(), visibility: 'public' });
      if (files.length > 0) {
        setUploading(true);
        await uploadAttachments(id, files, 'public');
        await invalidate(id);
      }
      setBody('');
      setFiles([]);
    } catch (e) {
      setError(e instanceof ApiError ? e.detail : String(e));
    } finally {
      setUploading(false);
    }
  }

  return (
    <Paper withBorder p="sm" component="form" onSubmit={(e) => { e.preventDefault(); void send(); }}>
      <Stack gap="xs">
        {error && <Alert color="red">{error}</Alert>}
        <Textarea label={t('portal.incident.reply')} autosize minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        <FileInput label={t('attachments.add')} multiple clearable value={files} onChange={setFiles} placeholder={t('attachments.choose')} />
        <Group justify="flex-end">
          <Button type="submit" disabled={!body.trim() && files.length === 0} loading={comment.isPending || uploading}>
            {t('portal.incident.send')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

import { Alert, Anchor, Badge, Box, Button, Center, Grid, Group, Loader, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../../app/api.ts';
import { formatDateTime } from '../../app/format.ts';
import { useLiveUpdates } from '../../app/live.ts';
import type { Me } from '../auth/session.ts';
import { type StaffIncident, useIncident, useTimeline, useUpdateIncident } from '../incidents/api.ts';
import { PriorityBadge, StatusBadge } from '../incidents/badges.tsx';
import { SlaCountdown } from '../incidents/SlaCountdown.tsx';
import { Timeline } from '../incidents/Timeline.tsx';
import { useOrganizations, useStaff, useTeams } from './api.ts';
import { Composer } from './Composer.tsx';
import { IncidentDetails } from './IncidentDetails.tsx';
import { IncidentLinks } from './IncidentLinks.tsx';
import { LiveStatus } from './LiveStatus.tsx';
import { PersonName } from './people.tsx';
import { Transitions } from './Transitions.tsx';

/** One incident for an agent: header, fields edited in place, transitions, timeline and composer, live. */
export default function ConsoleIncident({ id, me }: { id: string; me: Me }) {
  const { t } = useTranslation();
  const live = useLiveUpdates();
  const incident = useIncident<StaffIncident>(id);
  // Ask for the timeline with the incident rather than after it (same cache entry as TimelineSection's).
  useTimeline(id);

  if (incident.isPending) {
    return (
      <Center p="xl">
        <Loader role="status" aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (!incident.data) {
    const notFound = incident.error instanceof ApiError && incident.error.status === 404;
    return (
      <Stack>
        <BackLink />
        <Alert color={notFound ? 'gray' : 'red'} role="alert" title={notFound ? t('console.incident.notFound', { ref: id }) : t('common.error')}>
          {!notFound && (
            <Button size="xs" variant="light" onClick={() => void incident.refetch()}>
              {t('common.retry')}
            </Button>
          )}
        </Alert>
      </Stack>
    );
  }
  const i = incident.data;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <BackLink />
        <LiveStatus state={live} />
      </Group>
      <Header incident={i} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Description incident={i} />
            <StatusNotes incident={i} />
            <TimelineSection incident={i} />
            {i.status === 'closed' ? (
              <Alert color="gray">{t('console.incident.closedReadOnly')}</Alert>
            ) : (
              <Composer incident={i} />
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <IncidentDetails incident={i} me={me} />
            <IncidentLinks incident={i} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Anchor component={Link} href="/console" size="sm">
      ← {t('console.incident.back')}
    </Anchor>
  );
}

function Header({ incident }: { incident: StaffIncident }) {
  const { t } = useTranslation();
  const orgs = useOrganizations();
  return (
    <Paper withBorder p="md" component="header">
      <Stack gap="sm">
        <Group gap="xs" wrap="wrap">
          <Text ff="monospace" fw={700} c="dimmed" data-testid="incident-ref">
            {incident.ref}
          </Text>
          <StatusBadge status={incident.status} />
          <PriorityBadge priority={incident.priority} />
          <SlaCountdown incident={incident} tickMs={1000} />
          <Badge variant="outline" color="gray" autoContrast>
            {t(`channel.${incident.channel}`)}
          </Badge>
          <Text size="sm" c="dimmed">
            {orgs.data?.byId.get(incident.orgId)?.name}
            {incident.callerId && (
              <>
                {' · '}
                <PersonName id={incident.callerId} />
              </>
            )}
          </Text>
        </Group>
        <EditableTitle incident={incident} />
        <Transitions incident={incident} />
      </Stack>
    </Paper>
  );
}

function EditableTitle({ incident }: { incident: StaffIncident }) {
  const { t } = useTranslation();
  const update = useUpdateIncident(incident.id);
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(incident.title);
  useEffect(() => setTitle(incident.title), [incident.title]);
  const error = update.error instanceof ApiError ? (update.error.field('title') ?? update.error.detail) : undefined;

  if (!editing) {
    return (
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
          {incident.title}
        </Title>
        {incident.status !== 'closed' && (
          <Button variant="subtle" size="compact-sm" onClick={() => setEditing(true)} aria-label={t('console.incident.editTitle')} mt={4}>
            {t('console.incident.edit')}
          </Button>
        )}
      </Group>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({ title: title.trim() }, { onSuccess: () => setEditing(false) });
      }}
    >
      <Group align="flex-end" gap="xs">
        <TextInput label={t('field.title')} required maxLength={255} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={error} autoFocus style={{ flex: 1 }} />
        <Button type="submit" loading={update.isPending} disabled={!title.trim()}>
          {t('common.save')}
        </Button>
        <Button
          variant="default"
          onClick={() => {
            setTitle(incident.title);
            setEditing(false);
          }}
        >
          {t('common.cancel')}
        </Button>
      </Group>
    </form>
  );
}

function Description({ incident }: { incident: StaffIncident }) {
  const { t } = useTranslation();
  const update = useUpdateIncident(incident.id);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(incident.description);
  const error = update.error instanceof ApiError ? (update.error.field('description') ?? update.error.detail) : undefined;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="description-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="description-title">
          {t('field.description')}
        </Title>
        {!editing && incident.status !== 'closed' && (
          <Button
            variant="subtle"
            size="compact-sm"
            aria-label={t('console.incident.editDescription')}
            onClick={() => {
              setText(incident.description);
              setEditing(true);
            }}
          >
            {t('console.incident.edit')}
          </Button>
        )}
      </Group>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ description: text }, { onSuccess: () => setEditing(false) });
          }}
        >
          <Stack gap="xs">
            <Textarea label={t('field.description')} autosize minRows={4} maxRows={20} value={text} onChange={(e) => setText(e.currentTarget.value)} error={error} autoFocus />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setEditing(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={update.isPending}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} c={incident.description ? undefined : 'dimmed'}>
          {incident.description || t('console.incident.noDescription')}
        </Text>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        {t('console.incident.reported', { date: formatDateTime(incident.reportedAt) })}
      </Text>
    </Paper>
  );
}

/** Why it waits, or how it was resolved (the resolution is what the customer reads). */
function StatusNotes({ incident }: { incident: StaffIncident }) {
  const { t } = useTranslation();
  if (incident.status === 'pending' && incident.pendingReason) {
    return (
      <Alert color="orange" title={t('field.pendingReason')} styles={{ title: { color: ink('orange') } }}>
        {t(`pendingReason.${incident.pendingReason}`)}
      </Alert>
    );
  }
  if ((incident.status === 'resolved' || incident.status === 'closed') && incident.resolutionCode) {
    return (
      <Alert color="green" title={`${t('field.resolution')} · ${t(`resolutionCode.${incident.resolutionCode}`)}`} styles={{ title: { color: ink('green') } }}>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {incident.resolution}
        </Text>
      </Alert>
    );
  }
  return null;
}

/** A readable text color of a hue on its light background (the palette's own is under 4.5:1 for orange and green). */
function ink(color: string): string {
  return `color-mix(in srgb, var(--mantine-color-${color}-9), black 30%)`;
}

function TimelineSection({ incident }: { incident: StaffIncident }) {
  const { t } = useTranslation();
  const timeline = useTimeline(incident.id);
  const teams = useTeams();
  const staff = useStaff();
  // Field changes name teams, agents and parents by id; show their names.
  const describe = (field: string, value: unknown): string | undefined => {
    if (typeof value !== 'number') return undefined;
    if (field === 'teamId') return teams.data?.byId.get(value)?.name;
    if (field === 'agentId') return staff.data?.byId.get(value)?.name;
    if (field === 'parentId') return `I-${String(value).padStart(6, '0')}`;
    if (field === 'impact') return t(`console.impact.${value}`);
    if (field === 'urgency') return t(`urgency.${value}`);
    return undefined;
  };
  return (
    <Box component="section" aria-labelledby="timeline-title">
      <Title order={2} size="h4" id="timeline-title" mb="sm">
        {t('timeline.title')}
      </Title>
      {timeline.isPending ? (
        <Loader role="status" size="sm" aria-label={t('common.loading')} />
      ) : timeline.isError ? (
        <Alert color="red">{t('common.error')}</Alert>
      ) : (
        <Timeline entries={timeline.data.items} describe={describe} />
      )}
    </Box>
  );
}

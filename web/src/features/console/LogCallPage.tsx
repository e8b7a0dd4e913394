import { Alert, Button, Grid, Group, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { ApiError } from '../../app/api.ts';
import type { Me } from '../auth/session.ts';
import { useCreateIncident } from '../incidents/api.ts';
import { PriorityBadge } from '../incidents/badges.tsx';
import { type Person, useOrganizations } from './api.ts';
import { previewPriority } from './lifecycle.ts';
import { PersonSearch } from './people.tsx';

/** An agent logs a phone call: find the caller as you type, say what is wrong and how bad it is. */
export default function LogCallPage({ me: _me }: { me: Me }) {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const orgs = useOrganizations();
  const create = useCreateIncident();
  const [caller, setCaller] = useState<Person | null>(null);
  const [orgId, setOrgId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [impact, setImpact] = useState('3');
  const [urgency, setUrgency] = useState('3');
  const [reportedAt, setReportedAt] = useState('');
  const [reportedError, setReportedError] = useState<string | null>(null);
  const error = create.error instanceof ApiError ? create.error : null;
  const org = orgId ? orgs.data?.byId.get(Number(orgId)) : undefined;
  const priority = previewPriority(Number(impact), Number(urgency), org?.priorityMatrix);

  function submit() {
    setReportedError(null);
    let reported: string | undefined;
    if (reportedAt) {
      const d = new Date(reportedAt);
      if (Number.isNaN(d.getTime())) return setReportedError(t('console.call.reportedInvalid'));
      if (d.getTime() > Date.now()) return setReportedError(t('console.call.reportedFuture'));
      reported = d.toISOString();
    }
    create.mutate(
      {
        orgId: orgId ? Number(orgId) : undefined,
        callerId: caller?.id ?? null,
        title: title.trim(),
        description,
        impact: Number(impact),
        urgency: Number(urgency),
        channel: 'phone',
        ...(reported && { reportedAt: reported }),
      },
      {
        onSuccess: (incident) => {
          notifications.show({ color: 'green', title: t('console.call.created', { ref: incident.ref }), message: incident.title });
          navigate(`/console/incidents/${incident.ref}`);
        },
      },
    );
  }

  return (
    <Stack gap="md" maw={960}>
      <Title order={1} size="h2">
        {t('console.call.title')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Paper withBorder p="md" component="section" aria-labelledby="call-caller-title">
              <Stack gap="sm">
                <Title order={2} size="h4" id="call-caller-title">
                  {t('console.call.callerSection')}
                </Title>
                {caller ? (
                  <Paper bg="gray.0" p="sm" data-testid="call-caller">
                    <Group justify="space-between" align="flex-start" wrap="nowrap">
                      <div>
                        <Text fw={600}>{caller.name}</Text>
                        {caller.email && <Text size="sm">{caller.email}</Text>}
                        {caller.phone && <Text size="sm">{caller.phone}</Text>}
                        <Text size="sm" c="dimmed">
                          {orgs.data?.byId.get(caller.orgId)?.name}
                        </Text>
                      </div>
                      <Button variant="subtle" size="compact-sm" onClick={() => setCaller(null)}>
                        {t('console.call.changeCaller')}
                      </Button>
                    </Group>
                  </Paper>
                ) : (
                  <PersonSearch
                    label={t('field.callerId')}
                    autoFocus
                    error={error?.field('callerId')}
                    onPick={(p) => {
                      setCaller(p);
                      setOrgId(String(p.orgId));
                    }}
                  />
                )}
                <Select
                  label={t('field.orgId')}
                  description={caller ? t('console.call.orgFromCaller') : t('console.call.orgHint')}
                  required
                  searchable
                  disabled={Boolean(caller)}
                  value={orgId}
                  onChange={setOrgId}
                  data={(orgs.data?.items ?? []).filter((o) => o.active || String(o.id) === orgId).map((o) => ({ value: String(o.id), label: o.name }))}
                  error={error?.field('orgId')}
                  nothingFoundMessage={t('console.nothingFound')}
                />
              </Stack>
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Paper withBorder p="md" component="section" aria-labelledby="call-incident-title">
              <Stack gap="sm">
                <Title order={2} size="h4" id="call-incident-title">
                  {t('console.call.incidentSection')}
                </Title>
                {error && error.errors.length === 0 && (
                  <Alert color="red" role="alert">
                    {error.detail}
                  </Alert>
                )}
                <TextInput label={t('field.title')} required maxLength={255} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={error?.field('title')} />
                <Textarea
                  label={t('field.description')}
                  autosize
                  minRows={4}
                  maxRows={16}
                  value={description}
                  onChange={(e) => setDescription(e.currentTarget.value)}
                  error={error?.field('description')}
                />
                <Group grow align="flex-start">
                  <Select
                    label={t('field.impact')}
                    allowDeselect={false}
                    value={impact}
                    onChange={(v) => setImpact(v ?? '3')}
                    data={['1', '2', '3'].map((v) => ({ value: v, label: t(`console.impact.${v}`) }))}
                    error={error?.field('impact')}
                  />
                  <Select
                    label={t('field.urgency')}
                    allowDeselect={false}
                    value={urgency}
                    onChange={(v) => setUrgency(v ?? '3')}
                    data={['1', '2', '3', '4'].map((v) => ({ value: v, label: t(`urgency.${v}`) }))}
                    error={error?.field('urgency')}
                  />
                </Group>
                <Group gap="xs" aria-live="polite">
                  <Text size="sm">{t('console.call.priorityPreview')}</Text>
                  <PriorityBadge priority={priority} />
                </Group>
                <TextInput
                  type="datetime-local"
                  label={t('console.call.reportedAt')}
                  description={t('console.call.reportedHint')}
                  value={reportedAt}
                  max={localNow()}
                  onChange={(e) => setReportedAt(e.currentTarget.value)}
                  error={reportedError ?? error?.field('reportedAt')}
                  w={{ base: '100%', sm: 280 }}
                />
                <Text size="sm" c="dimmed">
                  {t('console.call.channelPhone')}
                </Text>
                <Group justify="flex-end">
                  <Button component={Link} href="/console" variant="default">
                    {t('common.cancel')}
                  </Button>
                  <Button type="submit" loading={create.isPending} disabled={!title.trim() || !orgId}>
                    {t('console.call.submit')}
                  </Button>
                </Group>
              </Stack>
            </Paper>
          </Grid.Col>
        </Grid>
      </form>
    </Stack>
  );
}

/** Now as a `datetime-local` value (local time, minutes). */
function localNow(): string {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

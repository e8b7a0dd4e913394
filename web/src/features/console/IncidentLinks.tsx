import { Anchor, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api, ApiError } from '../../app/api.ts';
import { type StaffIncident, useIncident, useIncidents, useUpdateIncident } from '../incidents/api.ts';
import { StatusBadge } from '../incidents/badges.tsx';

/** The major incident this one duplicates, or the duplicates linked to this one. */
export function IncidentLinks({ incident }: { incident: StaffIncident }) {
  const { t } = useTranslation();
  const readOnly = incident.status === 'closed';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="links-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="links-title">
          {t('console.links.title')}
        </Title>
        {incident.parentId ? (
          <ParentLink incident={incident} readOnly={readOnly} />
        ) : incident.childIds.length === 0 && !readOnly ? (
          <SetParent incident={incident} />
        ) : null}
        {incident.childIds.length > 0 && <Children incident={incident} />}
        {!incident.parentId && incident.childIds.length === 0 && readOnly && (
          <Text size="sm" c="dimmed">
            {t('timeline.none')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function ParentLink({ incident, readOnly }: { incident: StaffIncident; readOnly: boolean }) {
  const { t } = useTranslation();
  const parent = useIncident<StaffIncident>(incident.parentId!);
  const update = useUpdateIncident(incident.id);
  return (
    <div>
      <Text size="sm" fw={500}>
        {t('field.parentId')}
      </Text>
      <Group gap="xs" wrap="nowrap" justify="space-between">
        {parent.data ? (
          <Text size="sm" style={{ minWidth: 0 }} truncate>
            <Anchor component={Link} href={`/console/incidents/${parent.data.ref}`} ff="monospace" fw={600}>
              {parent.data.ref}
            </Anchor>{' '}
            {parent.data.title}
          </Text>
        ) : (
          <Text size="sm">…</Text>
        )}
        {!readOnly && (
          <Button variant="subtle" color="red" size="compact-xs" loading={update.isPending} onClick={() => update.mutate({ parentId: null })}>
            {t('console.links.unlink')}
          </Button>
        )}
      </Group>
    </div>
  );
}

/** Links to a major incident typed by reference (I-000123, or just 123). */
function SetParent({ incident }: { incident: StaffIncident }) {
  const { t } = useTranslation();
  const update = useUpdateIncident(incident.id);
  const [ref, setRef] = useState('');
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const apiError = update.error instanceof ApiError ? (update.error.field('parentId') ?? update.error.detail) : null;

  async function link() {
    setLookupError(null);
    const clean = ref.trim().toUpperCase();
    const id = /^(I-)?\d+$/.test(clean) ? clean : null;
    if (!id) return setLookupError(t('console.links.badRef'));
    setBusy(true);
    try {
      const parent = await api<StaffIncident>(`/incidents/${id.startsWith('I-') ? id : Number(id)}`);
      await update.mutateAsync({ parentId: parent.id });
      setRef('');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setLookupError(t('console.links.notFound', { ref: clean }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void link();
      }}
    >
      <TextInput
        label={t('console.links.parentRef')}
        description={t('console.links.parentHint')}
        placeholder="I-000123"
        value={ref}
        onChange={(e) => setRef(e.currentTarget.value)}
        error={lookupError ?? apiError}
        rightSectionWidth={84}
        rightSection={
          <Button type="submit" variant="light" size="compact-sm" loading={busy} disabled={!ref.trim()}>
            {t('console.links.link')}
          </Button>
        }
      />
    </form>
  );
}

function Children({ incident }: { incident: StaffIncident }) {
  const { t } = useTranslation();
  const children = useIncidents<StaffIncident>({ parentId: incident.id, limit: 200 });
  return (
    <div>
      <Text size="sm" fw={500} id="children-title">
        {t('console.links.children', { count: incident.childIds.length })}
      </Text>
      <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }} aria-labelledby="children-title">
        {(children.data?.items ?? []).map((c) => (
          <Group component="li" key={c.id} gap="xs" wrap="nowrap">
            <Anchor component={Link} href={`/console/incidents/${c.ref}`} ff="monospace" fw={600} size="sm">
              {c.ref}
            </Anchor>
            <Text size="sm" truncate style={{ flex: 1, minWidth: 0 }}>
              {c.title}
            </Text>
            <StatusBadge status={c.status} />
          </Group>
        ))}
      </Stack>
    </div>
  );
}

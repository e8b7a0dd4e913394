import { Alert, Anchor, Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { formatRelative } from '../../app/format.ts';
import { useLiveUpdates } from '../../app/live.ts';
import type { Me } from '../auth/session.ts';
import { useIncidents } from '../incidents/api.ts';
import { PriorityBadge, StatusBadge } from '../incidents/badges.tsx';
import { ReportForm } from './ReportForm.tsx';

/** The requester's home: report an incident, follow yours (and your organization's when allowed). */
export default function PortalHome({ me }: { me: Me }) {
  const { t } = useTranslation();
  useLiveUpdates();
  const [scope, setScope] = useState<'mine' | 'organization'>('mine');
  const [open, setOpen] = useState<'open' | 'all'>('open');
  const list = useIncidents({
    callerId: scope === 'mine' && me.personId ? me.personId : undefined,
    status: open === 'open' ? ['new', 'assigned', 'in_progress', 'pending', 'resolved'] : undefined,
    sort: '-updatedAt',
    limit: 50,
  });

  return (
    <Stack maw={760} mx="auto">
      <Title order={1} size="h2">
        {t('portal.title')}
      </Title>
      <ReportForm />
      <Stack component="section" aria-labelledby="my-incidents" gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h3" id="my-incidents">
            {t('portal.list.title')}
          </Title>
          <Group gap="xs">
            {me.portalScope === 'organization' && (
              <SegmentedControl
                size="xs"
                aria-label={t('portal.list.scope')}
                value={scope}
                onChange={(v) => setScope(v as 'mine' | 'organization')}
                data={[
                  { value: 'mine', label: t('portal.list.mine') },
                  { value: 'organization', label: t('portal.list.organization') },
                ]}
              />
            )}
            <SegmentedControl
              size="xs"
              aria-label={t('portal.list.which')}
              value={open}
              onChange={(v) => setOpen(v as 'open' | 'all')}
              data={[
                { value: 'open', label: t('portal.list.open') },
                { value: 'all', label: t('portal.list.all') },
              ]}
            />
          </Group>
        </Group>
        {list.isError && <Alert color="red">{t('common.error')}</Alert>}
        {list.data?.items.length === 0 && <Text c="dimmed">{t('portal.list.empty')}</Text>}
        {list.data?.items.map((i) => (
          <Card key={i.id} withBorder padding="sm" component="article">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Anchor component={Link} href={`/portal/incidents/${i.ref}`} fw={600} style={{ overflowWrap: 'anywhere' }}>
                  {i.ref} · {i.title}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {t('portal.list.updated', { when: formatRelative(i.updatedAt) })}
                </Text>
              </Stack>
              {/* Never shrink: on a phone the title would squeeze the badges to an ellipsis. */}
              <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
                <StatusBadge status={i.status} />
                <PriorityBadge priority={i.priority} />
              </Stack>
            </Group>
          </Card>
        ))}
        {list.data?.nextCursor && (
          <Text size="sm" c="dimmed">
            {t('portal.list.more')}
          </Text>
        )}
        {list.isPending && <Button variant="subtle" loading aria-label={t('common.loading')} />}
      </Stack>
    </Stack>
  );
}

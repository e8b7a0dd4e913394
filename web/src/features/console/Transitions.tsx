import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentStatus } from '../../../../contract/incidents.ts';
import { ApiError } from '../../app/api.ts';
import { type StaffIncident, useTransition } from '../incidents/api.ts';
import { AssigneeFields } from './IncidentDetails.tsx';
import { needsDialog, PENDING_REASONS, RESOLUTION_CODES, TRANSITIONS, transitionLabel } from './lifecycle.ts';

/** Buttons for the transitions allowed from the current status; those that need fields open a dialog. */
export function Transitions({ incident }: { incident: StaffIncident }) {
  const { t } = useTranslation();
  const transition = useTransition(incident.id);
  const [target, setTarget] = useState<IncidentStatus | null>(null);
  const allowed = TRANSITIONS[incident.status];
  if (allowed.length === 0) return null;

  return (
    <>
      <Group gap="xs" role="group" aria-label={t('console.transition.group')}>
        {allowed.map((to) => {
          const key = transitionLabel(incident.status, to);
          return (
            <Button
              key={to}
              size="sm"
              variant={to === 'resolved' ? 'filled' : 'default'}
              color={to === 'resolved' ? 'teal.9' : undefined}
              loading={transition.isPending && transition.variables?.to === to}
              data-testid={`transition-${to}`}
              onClick={() => {
                if (needsDialog(to)) return setTarget(to);
                transition.mutate(
                  { to },
                  { onError: (e) => notifications.show({ color: 'red', title: t('console.transition.failed'), message: e.message }) },
                );
              }}
            >
              {t(`console.transition.${key}`)}
            </Button>
          );
        })}
      </Group>
      <Modal
        opened={target !== null}
        onClose={() => setTarget(null)}
        title={target ? t(`console.transition.${transitionLabel(incident.status, target)}Title`, { ref: incident.ref }) : ''}
      >
        {target && <TransitionForm incident={incident} to={target} onDone={() => setTarget(null)} />}
      </Modal>
    </>
  );
}

/** The fields a transition requires: a pending reason, a resolution code and text, an assignee. */
function TransitionForm({ incident, to, onDone }: { incident: StaffIncident; to: IncidentStatus; onDone: () => void }) {
  const { t } = useTranslation();
  const transition = useTransition(incident.id);
  const [pendingReason, setPendingReason] = useState<string | null>(null);
  const [resolutionCode, setResolutionCode] = useState<string | null>(null);
  const [resolution, setResolution] = useState('');
  const [teamId, setTeamId] = useState<number | null>(incident.teamId);
  const [agentId, setAgentId] = useState<number | null>(incident.agentId);
  const error = transition.error instanceof ApiError ? transition.error : null;
  const key = transitionLabel(incident.status, to);

  function body(): Record<string, unknown> {
    switch (to) {
      case 'pending':
        return { to, pendingReason: pendingReason ?? undefined };
      case 'resolved':
        return { to, resolutionCode: resolutionCode ?? undefined, resolution };
      case 'assigned':
        return { to, teamId: teamId ?? undefined, agentId: agentId ?? undefined };
      default:
        return { to };
    }
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        transition.mutate(body(), { onSuccess: onDone });
      }}
    >
      <Stack>
        {error && error.errors.length === 0 && (
          <Alert color="red" role="alert">
            {error.detail}
          </Alert>
        )}
        {to === 'pending' && (
          <Select
            label={t('field.pendingReason')}
            required
            data-autofocus
            data={PENDING_REASONS.map((r) => ({ value: r, label: t(`pendingReason.${r}`) }))}
            value={pendingReason}
            onChange={setPendingReason}
            error={error?.field('pendingReason')}
          />
        )}
        {to === 'resolved' && (
          <>
            <Select
              label={t('field.resolutionCode')}
              required
              data-autofocus
              data={RESOLUTION_CODES.map((r) => ({ value: r, label: t(`resolutionCode.${r}`) }))}
              value={resolutionCode}
              onChange={setResolutionCode}
              error={error?.field('resolutionCode')}
            />
            <Textarea
              label={t('field.resolution')}
              description={t('console.transition.resolutionHint')}
              required
              autosize
              minRows={4}
              value={resolution}
              onChange={(e) => setResolution(e.currentTarget.value)}
              error={error?.field('resolution')}
            />
          </>
        )}
        {to === 'assigned' && (
          <AssigneeFields
            orgId={incident.orgId}
            teamId={teamId}
            agentId={agentId}
            onChange={(team, agent) => {
              setTeamId(team);
              setAgentId(agent);
            }}
            teamError={error?.field('teamId')}
            agentError={error?.field('agentId')}
          />
        )}
        {to === 'closed' && <Text size="sm">{t('console.transition.closeConfirm')}</Text>}
        {to === 'resolved' && incident.childIds.length > 0 && (
          <Text size="sm" c="dimmed">
            {t('console.transition.resolvesChildren', { count: incident.childIds.length })}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={transition.isPending} color={to === 'resolved' ? 'teal.9' : undefined}>
            {t(`console.transition.${key}Submit`)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

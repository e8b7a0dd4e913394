import { Alert, Anchor, Box, Button, Group, Modal, Paper, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { formatDateTime, formatRelative } from '../../app/format.ts';
import type { Me } from '../auth/session.ts';
import { type StaffIncident, useUpdateIncident } from '../incidents/api.ts';
import { PriorityBadge } from '../incidents/badges.tsx';
import { type User, useOrganizations, usePerson, useStaff, useTeams } from './api.ts';
import { PersonSearch } from './people.tsx';

/** The side panel of an incident: who it is for, who has it, how urgent; each field edited in place. */
export function IncidentDetails({ incident, me }: { incident: StaffIncident; me: Me }) {
  const { t } = useTranslation();
  const orgs = useOrganizations();
  const readOnly = incident.status === 'closed';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="details-title">
      <Stack gap="md">
        <Title order={2} size="h4" id="details-title">
          {t('console.incident.details')}
        </Title>
        <Box component="dl" m={0}>
          <Fact label={t('field.orgId')}>{orgs.data?.byId.get(incident.orgId)?.name ?? '…'}</Fact>
        </Box>
        <CallerField incident={incident} readOnly={readOnly} />
        <AssignmentEditor incident={incident} me={me} readOnly={readOnly} />
        <ImpactUrgencyEditor incident={incident} readOnly={readOnly} />
        <PriorityField incident={incident} me={me} readOnly={readOnly} />
        <Box component="dl" m={0}>
          <Fact label={t('field.channel')}>{t(`channel.${incident.channel}`)}</Fact>
          <Fact label={t('console.incident.reportedAt')}>{formatDateTime(incident.reportedAt)}</Fact>
          <Fact label={t('console.incident.createdAt')}>{formatDateTime(incident.createdAt)}</Fact>
          <Fact label={t('console.col.lastCustomerUpdate')}>{incident.lastCustomerUpdateAt ? formatRelative(incident.lastCustomerUpdateAt) : t('timeline.none')}</Fact>
          <Fact label={t('console.incident.updatedAt')}>{formatRelative(incident.updatedAt)}</Fact>
          {incident.resolvedAt && <Fact label={t('field.resolvedAt')}>{formatDateTime(incident.resolvedAt)}</Fact>}
          {incident.closedAt && <Fact label={t('field.closedAt')}>{formatDateTime(incident.closedAt)}</Fact>}
          {incident.reopenCount > 0 && <Fact label={t('field.reopenCount')}>{t('console.incident.reopenTimes', { count: incident.reopenCount })}</Fact>}
        </Box>
      </Stack>
    </Paper>
  );
}

/**
 * Team and agent selects. The agent list follows the team (its members) and the organization (agents
 * who serve it); changing the team drops an agent who is not in it.
 */
export function AssigneeFields({
  orgId,
  teamId,
  agentId,
  onChange,
  disabled,
  teamError,
  agentError,
}: {
  orgId: number;
  teamId: number | null;
  agentId: number | null;
  onChange: (teamId: number | null, agentId: number | null) => void;
  disabled?: boolean;
  teamError?: string;
  agentError?: string;
}) {
  const { t } = useTranslation();
  const teams = useTeams();
  const staff = useStaff();
  const team = teamId ? teams.data?.byId.get(teamId) : undefined;
  const eligible = (u: User) => (u.role === 'admin' || u.orgScope.length === 0 || u.orgScope.includes(orgId)) && (!team || team.memberIds.includes(u.id));
  const agents = (staff.data?.items ?? []).filter((u) => (u.active && eligible(u)) || u.id === agentId);
  return (
    <>
      <Select
        label={t('field.teamId')}
        placeholder={t('console.noTeam')}
        clearable
        allowDeselect={false}
        searchable
        disabled={disabled}
        value={teamId ? String(teamId) : null}
        data={(teams.data?.items ?? []).filter((x) => x.active || x.id === teamId).map((x) => ({ value: String(x.id), label: x.name }))}
        onChange={(v) => {
          const next = v ? Number(v) : null;
          const nextTeam = next ? teams.data?.byId.get(next) : undefined;
          const keepAgent = agentId !== null && (!nextTeam || nextTeam.memberIds.includes(agentId));
          onChange(next, keepAgent ? agentId : null);
        }}
        error={teamError}
        nothingFoundMessage={t('console.nothingFound')}
      />
      <Select
        label={t('field.agentId')}
        placeholder={t('console.unassigned')}
        clearable
        allowDeselect={false}
        searchable
        disabled={disabled}
        value={agentId ? String(agentId) : null}
        data={agents.map((u) => ({ value: String(u.id), label: u.name }))}
        onChange={(v) => onChange(teamId, v ? Number(v) : null)}
        error={agentError}
        nothingFoundMessage={t('console.nothingFound')}
      />
    </>
  );
}

function AssignmentEditor({ incident, me, readOnly }: { incident: StaffIncident; me: Me; readOnly: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateIncident(incident.id);
  const error = update.error instanceof ApiError ? update.error : null;
  const save = (teamId: number | null, agentId: number | null) => {
    const body: Record<string, unknown> = {};
    if (teamId !== incident.teamId) body.teamId = teamId;
    if (agentId !== incident.agentId) body.agentId = agentId;
    if (Object.keys(body).length > 0) update.mutate(body);
  };
  const mayTakeIt = !readOnly && incident.agentId !== me.id && (me.role === 'admin' || me.orgScope.length === 0 || me.orgScope.includes(incident.orgId));
  return (
    <Stack gap="xs">
      <AssigneeFields
        orgId={incident.orgId}
        teamId={incident.teamId}
        agentId={incident.agentId}
        onChange={save}
        disabled={readOnly || update.isPending}
        teamError={error?.field('teamId')}
        agentError={error?.field('agentId')}
      />
      {error && error.errors.length === 0 && (
        <Alert color="red" role="alert" p="xs">
          {error.detail}
        </Alert>
      )}
      {mayTakeIt && (
        <Button
          variant="light"
          size="compact-sm"
          onClick={() => {
            // Taking it keeps the team only if I am in it.
            const keepTeam = incident.teamId === null || me.teamIds.includes(incident.teamId);
            update.mutate({ agentId: me.id, ...(keepTeam ? {} : { teamId: null }) });
          }}
        >
          {t('console.incident.assignToMe')}
        </Button>
      )}
    </Stack>
  );
}

function CallerField({ incident, readOnly }: { incident: StaffIncident; readOnly: boolean }) {
  const { t } = useTranslation();
  const caller = usePerson(incident.callerId);
  const update = useUpdateIncident(incident.id);
  const [changing, setChanging] = useState(false);
  const error = update.error instanceof ApiError ? (update.error.field('callerId') ?? update.error.detail) : undefined;
  return (
    <div>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500}>
          {t('field.callerId')}
        </Text>
        {!readOnly && (
          <Button variant="subtle" size="compact-xs" onClick={() => setChanging((c) => !c)} aria-expanded={changing}>
            {changing ? t('common.cancel') : t('console.incident.changeCaller')}
          </Button>
        )}
      </Group>
      {incident.callerId && caller.data ? (
        <Stack gap={0}>
          <Text size="sm">{caller.data.name}</Text>
          {caller.data.email && (
            <Anchor size="sm" href={`mailto:${caller.data.email}`}>
              {caller.data.email}
            </Anchor>
          )}
          {caller.data.phone && (
            <Anchor size="sm" href={`tel:${caller.data.phone.replace(/\s/g, '')}`}>
              {caller.data.phone}
            </Anchor>
          )}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {incident.callerId ? '…' : t('timeline.none')}
        </Text>
      )}
      {changing && (
        <Box mt="xs">
          <PersonSearch
            label={t('console.incident.newCaller')}
            orgId={incident.orgId}
            autoFocus
            error={error}
            onPick={(p) => update.mutate({ callerId: p.id }, { onSuccess: () => setChanging(false) })}
          />
        </Box>
      )}
    </div>
  );
}

function ImpactUrgencyEditor({ incident, readOnly }: { incident: StaffIncident; readOnly: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateIncident(incident.id);
  const error = update.error instanceof ApiError ? update.error : null;
  return (
    <Group grow gap="xs" align="flex-start">
      <Select
        label={t('field.impact')}
        allowDeselect={false}
        disabled={readOnly || update.isPending}
        value={String(incident.impact)}
        data={['1', '2', '3'].map((v) => ({ value: v, label: t(`console.impact.${v}`) }))}
        onChange={(v) => v && Number(v) !== incident.impact && update.mutate({ impact: Number(v) })}
        error={error?.field('impact')}
      />
      <Select
        label={t('field.urgency')}
        allowDeselect={false}
        disabled={readOnly || update.isPending}
        value={String(incident.urgency)}
        data={['1', '2', '3', '4'].map((v) => ({ value: v, label: t(`urgency.${v}`) }))}
        onChange={(v) => v && Number(v) !== incident.urgency && update.mutate({ urgency: Number(v) })}
        error={error?.field('urgency')}
      />
    </Group>
  );
}

/** The priority, from the matrix or overridden by a manager with a reason. */
function PriorityField({ incident, me, readOnly }: { incident: StaffIncident; me: Me; readOnly: boolean }) {
  const { t } = useTranslation();
  const update = useUpdateIncident(incident.id);
  const [overriding, setOverriding] = useState(false);
  const isManager = me.role === 'manager' || me.role === 'admin';
  return (
    <div>
      <Text size="sm" fw={500} mb={4}>
        {t('field.priority')}
      </Text>
      <Group gap="xs">
        <PriorityBadge priority={incident.priority} />
        <Text size="xs" c="dimmed">
          {incident.priorityOverridden ? t('console.priority.overridden') : t('console.priority.fromMatrix')}
        </Text>
      </Group>
      {incident.priorityOverridden && incident.priorityReason && (
        <Text size="sm" mt={4} style={{ overflowWrap: 'anywhere' }}>
          {t('console.priority.reason', { reason: incident.priorityReason })}
        </Text>
      )}
      {isManager && !readOnly && (
        <Group gap="xs" mt={6}>
          <Button variant="light" size="compact-sm" onClick={() => setOverriding(true)}>
            {t('console.priority.override')}
          </Button>
          {incident.priorityOverridden && (
            <Button variant="subtle" size="compact-sm" loading={update.isPending} onClick={() => update.mutate({ priority: null })}>
              {t('console.priority.backToMatrix')}
            </Button>
          )}
        </Group>
      )}
      <Modal opened={overriding} onClose={() => setOverriding(false)} title={t('console.priority.overrideTitle', { ref: incident.ref })}>
        {overriding && <PriorityOverrideForm incident={incident} onDone={() => setOverriding(false)} />}
      </Modal>
    </div>
  );
}

function PriorityOverrideForm({ incident, onDone }: { incident: StaffIncident; onDone: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateIncident(incident.id);
  const [priority, setPriority] = useState<string | null>(String(incident.priority));
  const [reason, setReason] = useState(incident.priorityReason ?? '');
  const error = update.error instanceof ApiError ? update.error : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({ priority: Number(priority), priorityReason: reason.trim() }, { onSuccess: onDone });
      }}
    >
      <Stack>
        {error && error.errors.length === 0 && (
          <Alert color="red" role="alert">
            {error.detail}
          </Alert>
        )}
        <Select
          label={t('field.priority')}
          required
          allowDeselect={false}
          data-autofocus
          value={priority}
          onChange={setPriority}
          data={['1', '2', '3', '4'].map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          error={error?.field('priority')}
        />
        <Textarea
          label={t('field.priorityReason')}
          required
          autosize
          minRows={3}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={error?.field('priorityReason')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={update.isPending} disabled={!priority || !reason.trim()}>
            {t('console.priority.overrideSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" py={2}>
      <Text component="dt" size="sm" c="dimmed">
        {label}
      </Text>
      <Text component="dd" size="sm" m={0} ta="right">
        {children}
      </Text>
    </Group>
  );
}

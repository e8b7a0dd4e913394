import { Badge, Group, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDuration } from '../../app/format.ts';
import type { StaffIncident } from './api.ts';

type Clock = 'tto' | 'ttr';

/** Live countdowns of time to own and time to resolve, colored when warned or breached. */
export function SlaCountdown({ incident, which = ['tto', 'ttr'], tickMs = 15_000 }: { incident: StaffIncident; which?: Clock[]; tickMs?: number }) {
  const now = useNow(tickMs);
  const shown = which.filter((c) => visible(incident, c));
  if (shown.length === 0) return null;
  return (
    <Group gap={4} wrap="nowrap">
      {shown.map((c) => (
        <Countdown key={c} incident={incident} clock={c} now={now} />
      ))}
    </Group>
  );
}

function visible(i: StaffIncident, c: Clock): boolean {
  if (i.slaPolicyId === null) return false;
  if (c === 'tto') return i.ttoDueAt !== null && i.ttoMetAt === null && i.status !== 'resolved' && i.status !== 'closed';
  return (i.ttrDueAt !== null || i.slaPaused) && i.status !== 'resolved' && i.status !== 'closed';
}

function Countdown({ incident: i, clock, now }: { incident: StaffIncident; clock: Clock; now: number }) {
  const { t } = useTranslation();
  const due = clock === 'tto' ? i.ttoDueAt : i.ttrDueAt;
  const breached = clock === 'tto' ? i.ttoBreached : i.ttrBreached;
  const warned = clock === 'tto' ? i.ttoWarned : i.ttrWarned;
  const label = t(`sla.${clock}`);
  if (clock === 'ttr' && i.slaPaused) {
    return (
      <Badge variant="outline" color="gray" autoContrast data-sla="paused">
        {label} · {t('sla.paused')}
      </Badge>
    );
  }
  const left = new Date(due!).getTime() - now;
  const overdue = left < 0 || breached;
  const color = overdue ? 'red' : warned ? 'orange' : 'blue';
  const text = left < 0 ? t('sla.overdue', { duration: formatDuration(-left) }) : t('sla.dueIn', { duration: formatDuration(left) });
  return (
    <Tooltip label={t('sla.dueAt', { label, date: formatDateTime(due) })}>
      <Badge variant={overdue ? 'filled' : 'light'} color={color} autoContrast data-sla={overdue ? 'breached' : warned ? 'warned' : 'running'}>
        {label} · {text}
      </Badge>
    </Tooltip>
  );
}

function useNow(tickMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  return now;
}

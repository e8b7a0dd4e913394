import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const STATUS_COLORS: Record<string, string> = {
  new: 'blue',
  assigned: 'indigo',
  in_progress: 'violet',
  pending: 'orange',
  resolved: 'green',
  closed: 'gray',
};

const PRIORITY_COLORS: Record<number, string> = { 1: 'red', 2: 'orange', 3: 'yellow', 4: 'gray' };

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    // Text a shade darker than the palette: the light variant's own text is under 4.5:1 for orange and green.
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="light" c={`color-mix(in srgb, var(--mantine-color-${STATUS_COLORS[status] ?? 'gray'}-9), black 30%)`}>
      {t(`status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: number }) {
  const { t } = useTranslation();
  return (
    <Badge color={PRIORITY_COLORS[priority] ?? 'gray'} variant="filled" autoContrast>
      {t(`priority.${priority}`)}
    </Badge>
  );
}

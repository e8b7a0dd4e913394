import { Group, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveState } from '../../app/live.ts';

/** A small "Live" / "Reconnecting…" indicator, announced politely when it changes. */
export function LiveStatus({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  const color = state === 'open' ? 'var(--mantine-color-green-7)' : 'var(--mantine-color-orange-7)';
  return (
    <Group gap={6} wrap="nowrap" role="status" aria-live="polite">
      <span aria-hidden style={{ width: 8, height: 8, borderRadius: 4, background: color, display: 'inline-block' }} />
      <Text size="xs" c="dimmed">
        {t(`console.live.${state}`)}
      </Text>
    </Group>
  );
}

/** The current time, refreshed every `ms`, so ages in a list stay true while it is open. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

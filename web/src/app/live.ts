import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

export type LiveState = 'connecting' | 'open' | 'reconnecting';

/**
 * Subscribes to /api/v1/live (Server-Sent Events) and refetches what changed: the incident, its
 * timeline and every list. EventSource reconnects by itself; after a reconnect everything is
 * refetched, since events may have been missed meanwhile.
 */
export function useLiveUpdates(): LiveState {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    const source = new EventSource('/api/v1/live');
    let wasOpen = false;
    source.onopen = () => {
      setState('open');
      if (wasOpen) void qc.invalidateQueries();
      wasOpen = true;
    };
    source.onerror = () => setState('reconnecting');
    source.addEventListener('change', (e) => {
      const m = JSON.parse((e as MessageEvent<string>).data) as { type: string; incidentId: number | null };
      if (m.incidentId !== null) {
        void qc.invalidateQueries({ queryKey: ['incident', String(m.incidentId)] });
        void qc.invalidateQueries({ queryKey: ['timeline', String(m.incidentId)] });
        void qc.invalidateQueries({ queryKey: ['attachments', String(m.incidentId)] });
      }
      void qc.invalidateQueries({ queryKey: ['incidents'] });
    });
    return () => source.close();
  }, [qc]);
  return state;
}

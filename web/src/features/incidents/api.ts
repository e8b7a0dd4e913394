import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Incident, StaffIncident, TimelineEntry } from '../../../../contract/incidents.ts';
import { api, qs } from '../../app/api.ts';

export type { Incident, StaffIncident, TimelineEntry };
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type IncidentFilters = Record<string, string | number | boolean | (string | number)[] | undefined>;

/** Incidents as the signed-in user is given them: the console, staff only, asks for `StaffIncident`s (every field). */
export function useIncidents<I extends Incident = Incident>(filters: IncidentFilters) {
  return useQuery({ queryKey: ['incidents', filters], queryFn: () => api<Page<I>>(`/incidents${qs(filters)}`) });
}

/**
 * The cache key of one incident: its numeric id, also when opened by reference, so live updates
 * (which name the id) reach a page opened as /…/incidents/I-000123.
 * @example incidentKey('I-000123') // '123'
 */
export function incidentKey(id: string | number): string {
  const m = /^[Ii]-(\d+)$/.exec(String(id));
  return m ? String(Number(m[1])) : String(id);
}

/** One incident as the signed-in user is given it (see `useIncidents`). */
export function useIncident<I extends Incident = Incident>(id: string | number) {
  return useQuery({ queryKey: ['incident', incidentKey(id)], queryFn: () => api<I>(`/incidents/${id}`) });
}

export function useTimeline(id: string | number) {
  return useQuery({ queryKey: ['timeline', incidentKey(id)], queryFn: () => api<Page<TimelineEntry>>(`/incidents/${id}/timeline?limit=200`) });
}

/** Invalidates what a change to one incident affects: itself, its timeline and every list. */
export function useInvalidateIncident() {
  const qc = useQueryClient();
  return (id: string | number) =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ['incident'] }),
      qc.invalidateQueries({ queryKey: ['timeline', incidentKey(id)] }),
      qc.invalidateQueries({ queryKey: ['incidents'] }),
    ]);
}

export function useCreateIncident() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Incident>('/incidents', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['incidents'] }),
  });
}

export function useUpdateIncident(id: string | number) {
  const invalidate = useInvalidateIncident();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Incident>(`/incidents/${id}`, { method: 'PATCH', body }),
    onSuccess: () => invalidate(id),
  });
}

export function useTransition(id: string | number) {
  const invalidate = useInvalidateIncident();
  return useMutation({
    mutationFn: (body: Record<string, unknown>) => api<Incident>(`/incidents/${id}/transitions`, { method: 'POST', body }),
    onSuccess: () => invalidate(id),
  });
}

export function useComment(id: string | number) {
  const invalidate = useInvalidateIncident();
  return useMutation({
    mutationFn: (body: { body: string; visibility: 'public' | 'internal' }) => api<TimelineEntry>(`/incidents/${id}/comments`, { method: 'POST', body }),
    onSuccess: () => invalidate(id),
  });
}

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { SavedView as SavedViewSchema } from '../../../../contract/auth.ts';
import type { Organization as OrganizationSchema, Person as PersonSchema, Team as TeamSchema, User as UserSchema } from '../../../../contract/directory.ts';
import { api, qs } from '../../app/api.ts';
import type { StaffIncident, Page } from '../incidents/api.ts';

export type Organization = z.infer<typeof OrganizationSchema>;
export type Person = z.infer<typeof PersonSchema>;
export type Team = z.infer<typeof TeamSchema>;
export type User = z.infer<typeof UserSchema>;
export type SavedView = z.infer<typeof SavedViewSchema>;

// Directory keys start with the resource name, so the admin pages' saves refresh what the console shows.
const DIRECTORY_STALE = 60_000;

/** One queue, page after page ("load more"). Keyed under 'incidents' so live updates refetch it. */
export function useIncidentQueue(params: Record<string, string>, enabled = true) {
  const query = useInfiniteQuery({
    queryKey: ['incidents', 'queue', params],
    queryFn: ({ pageParam, signal }) => api<Page<StaffIncident>>(`/incidents${qs({ ...params, limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
  return { ...query, items: query.data?.pages.flatMap((p) => p.items) ?? [] };
}

/** Every organization in scope, by id. */
export function useOrganizations() {
  return useQuery({
    queryKey: ['organizations', 'console-all'],
    queryFn: () => fetchAll<Organization>('/organizations', {}),
    staleTime: DIRECTORY_STALE,
    select: (items) => ({ items, byId: new Map(items.map((o) => [o.id, o])) }),
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ['teams', 'console-all'],
    queryFn: () => fetchAll<Team>('/teams', {}),
    staleTime: DIRECTORY_STALE,
    select: (items) => ({ items, byId: new Map(items.map((t) => [t.id, t])) }),
  });
}

/** Agents, managers and admins: whoever incidents may be assigned to. */
export function useStaff() {
  return useQuery({
    queryKey: ['users', 'console-staff'],
    queryFn: async () => {
      const lists = await Promise.all((['agent', 'manager', 'admin'] as const).map((role) => fetchAll<User>('/users', { role })));
      return lists.flat().sort((a, b) => a.name.localeCompare(b.name));
    },
    staleTime: DIRECTORY_STALE,
    select: (items) => ({ items, byId: new Map(items.map((u) => [u.id, u])) }),
  });
}

/** One person (a caller), cached: queue rows share it. */
export function usePerson(id: number | null | undefined) {
  return useQuery({
    queryKey: ['people', 'one', id],
    queryFn: () => api<Person>(`/people/${id}`),
    enabled: Boolean(id),
    staleTime: DIRECTORY_STALE,
  });
}

/** People whose name, e-mail or phone matches, as you type. */
export function usePeopleSearch(q: string, orgId?: number | null) {
  const term = q.trim();
  return useQuery({
    queryKey: ['people', 'search', term, orgId ?? null],
    queryFn: ({ signal }) => api<Page<Person>>(`/people${qs({ q: term, orgId: orgId ?? undefined, active: true, limit: 10 })}`, { signal }),
    enabled: term.length >= 2,
    placeholderData: keepPreviousData,
  });
}

export function useCreatePerson() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { orgId: number; name: string; email?: string | null; phone?: string | null; locale?: string | null }) =>
      api<Person>('/people', { method: 'POST', body }),
    onSuccess: (person) => {
      qc.setQueryData(['people', 'one', person.id], person);
      return qc.invalidateQueries({ queryKey: ['people', 'search'] });
    },
  });
}

export function useSavedViews() {
  return useQuery({ queryKey: ['saved-views'], queryFn: () => api<{ items: SavedView[] }>('/saved-views'), select: (d) => d.items });
}

export function useCreateSavedView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; filters: Record<string, string> }) => api<SavedView>('/saved-views', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['saved-views'] }),
  });
}

export function useDeleteSavedView() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<void>(`/saved-views/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['saved-views'] }),
  });
}

// A service desk's directory is hundreds of rows, not millions: 20 pages of 200 is a safe ceiling.
async function fetchAll<T>(path: string, filters: Record<string, string>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await api<Page<T>>(`${path}${qs({ ...filters, limit: 200, cursor })}`);
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items;
}

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Organization as OrganizationSchema, Person as PersonSchema, Team as TeamSchema, User as UserSchema } from '../../../../contract/directory.ts';
import { api, qs } from '../../app/api.ts';

export type Organization = z.infer<typeof OrganizationSchema>;
export type Person = z.infer<typeof PersonSchema>;
export type User = z.infer<typeof UserSchema>;
export type Team = z.infer<typeof TeamSchema>;
export type Resource = 'organizations' | 'people' | 'users' | 'teams' | 'calendars' | 'sla-policies' | 'identity-providers';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type ListFilters = Record<string, string | number | boolean | undefined>;

/** One directory list, page after page ("load more"), keyed by its filters. */
export function useDirectoryList<T>(resource: Resource, filters: ListFilters) {
  const query = useInfiniteQuery({
    queryKey: ['admin', resource, 'list', filters],
    queryFn: ({ pageParam, signal }) => api<Page<T>>(`/${resource}${qs({ ...filters, limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  return { ...query, items: query.data?.pages.flatMap((p) => p.items) ?? [] };
}

/** Creates (no id) or updates (PATCH) one record, then refreshes every admin list and option. */
export function useSave<T>(resource: Resource) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: number; body: Record<string, unknown> }) =>
      api<T>(id === undefined ? `/${resource}` : `/${resource}/${id}`, { method: id === undefined ? 'POST' : 'PATCH', body }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['admin'] });
      // Other screens show these names too (queues, call form), and an admin may have edited themselves.
      await qc.invalidateQueries({ queryKey: [resource] });
      if (resource === 'users') await qc.invalidateQueries({ queryKey: ['me'] });
    },
  });
}

/** Every organization in scope, for selects and for showing names in lists. */
export function useAllOrganizations() {
  return useQuery({ queryKey: ['admin', 'organizations', 'all'], queryFn: () => fetchAll<Organization>('/organizations', {}), staleTime: 60_000 });
}

/** Every staff user (agents, managers, admins), for team members. */
export function useStaffUsers() {
  return useQuery({
    queryKey: ['admin', 'users', 'staff'],
    queryFn: async () => {
      const lists = await Promise.all((['agent', 'manager', 'admin'] as const).map((role) => fetchAll<User>('/users', { role })));
      return lists.flat().sort((a, b) => a.name.localeCompare(b.name));
    },
    staleTime: 60_000,
  });
}

// Directories of a service desk are hundreds of rows, not millions; 20 pages of 200 is a safe ceiling.
export async function fetchAll<T>(path: string, filters: ListFilters): Promise<T[]> {
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

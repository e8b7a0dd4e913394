import type { IncidentSort, IncidentStatus } from '../../../../contract/incidents.ts';

/** The four queues of the console; each is a filter on assignment. */
export const QUEUES = ['mine', 'teams', 'unassigned', 'all'] as const;
export type QueueName = (typeof QUEUES)[number];

export const STATUSES: IncidentStatus[] = ['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed'];
export const OPEN_STATUSES: IncidentStatus[] = ['new', 'assigned', 'in_progress', 'pending'];
export const SORTS: IncidentSort[] = ['-createdAt', 'createdAt', 'priority', '-priority', 'ttrDueAt', '-ttrDueAt', '-updatedAt', 'updatedAt', '-reportedAt', 'reportedAt'];

export interface QueueState {
  queue: QueueName;
  status: string[];
  priority: string[];
  orgId: string[];
  q: string;
  sort: IncidentSort;
}

export const DEFAULT_STATE: QueueState = { queue: 'all', status: OPEN_STATUSES, priority: [], orgId: [], q: '', sort: '-createdAt' };

interface Assignee {
  id: number;
  teamIds: number[];
}

/**
 * The queue shown by a URL search string. An absent `status` means the open statuses; `status=`
 * (present, empty) means every status.
 * @example parseQueueState('?queue=mine&status=new,pending').status // ['new', 'pending']
 */
export function parseQueueState(search: string): QueueState {
  const p = new URLSearchParams(search);
  const list = (k: string) => (p.get(k) ?? '').split(',').filter(Boolean);
  const queue = p.get('queue');
  const sort = p.get('sort');
  return {
    queue: (QUEUES as readonly string[]).includes(queue ?? '') ? (queue as QueueName) : DEFAULT_STATE.queue,
    status: p.has('status') ? list('status').filter((s) => (STATUSES as string[]).includes(s)) : DEFAULT_STATE.status,
    priority: list('priority').filter((s) => /^[1-4]$/.test(s)),
    orgId: list('orgId').filter((s) => /^\d+$/.test(s)),
    q: p.get('q') ?? '',
    sort: (SORTS as string[]).includes(sort ?? '') ? (sort as IncidentSort) : DEFAULT_STATE.sort,
  };
}

/** The URL search string of a queue (without `?`); defaults are left out. */
export function toSearch(state: QueueState): string {
  const p = new URLSearchParams();
  if (state.queue !== DEFAULT_STATE.queue) p.set('queue', state.queue);
  if (!sameList(state.status, DEFAULT_STATE.status)) p.set('status', state.status.join(','));
  if (state.priority.length) p.set('priority', state.priority.join(','));
  if (state.orgId.length) p.set('orgId', state.orgId.join(','));
  if (state.q.trim()) p.set('q', state.q.trim());
  if (state.sort !== DEFAULT_STATE.sort) p.set('sort', state.sort);
  return p.toString();
}

/**
 * The GET /incidents parameters of a queue; saved views store exactly these.
 * @example toApiParams({ ...DEFAULT_STATE, queue: 'mine' }, { id: 7, teamIds: [] }).agentId // '7'
 */
export function toApiParams(state: QueueState, me: Assignee): Record<string, string> {
  const params: Record<string, string> = { sort: state.sort };
  if (state.status.length) params.status = state.status.join(',');
  if (state.priority.length) params.priority = state.priority.join(',');
  if (state.orgId.length) params.orgId = state.orgId.join(',');
  if (state.q.trim()) params.q = state.q.trim();
  switch (state.queue) {
    case 'mine':
      params.agentId = String(me.id);
      break;
    case 'teams':
      params.teamId = me.teamIds.join(',');
      break;
    case 'unassigned':
      params.unassigned = 'true';
      break;
    case 'all':
      break;
  }
  return params;
}

/** The queue a saved view's parameters describe (the reverse of toApiParams). */
export function fromApiParams(filters: Record<string, string>, me: Assignee): QueueState {
  const queue: QueueName =
    filters.agentId === String(me.id) ? 'mine' : filters.teamId ? 'teams' : filters.unassigned === 'true' ? 'unassigned' : 'all';
  const search = new URLSearchParams({ queue, sort: filters.sort ?? DEFAULT_STATE.sort, status: filters.status ?? '' });
  for (const k of ['priority', 'orgId', 'q'] as const) if (filters[k]) search.set(k, filters[k]);
  return parseQueueState(search.toString());
}

/** Whether a saved view shows the same queue as the current state. */
export function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? '') === (b[k] ?? ''));
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * What a requester's live stream may carry, decided here only: an allowlist of outbox events, so that an event of a
 * new type reaches staff alone until someone decides requesters may know of it. A requester is told of what
 * changes their portal: the incident's page (title, description, status, priority, resolution) and its public
 * timeline. Internal notes and files, assignment, links, priority reasons and SLA escalations are for staff.
 */

/** Fields of an incident shown on the portal; a change of any other field is internal (timeline `fields_changed`). */
const PORTAL_FIELDS: ReadonlySet<string> = new Set(['title', 'description', 'status', 'priority', 'resolution']);

export interface OutboxEvent {
  type: string;
  payload: unknown;
}

/**
 * Whether a requester who may see the event's incident is told of it.
 * @example requesterMayReceive({ type: 'incident.updated', payload: { changes: [{ field: 'agentId', from: null, to: 7 }] } }) // false
 */
export function requesterMayReceive(event: OutboxEvent): boolean {
  switch (event.type) {
    case 'incident.created':
    case 'incident.status_changed':
      return true;
    case 'incident.commented':
    case 'incident.attachments_added':
      return field(event.payload, 'visibility') === 'public';
    case 'incident.updated':
      return changedFields(event.payload).some((f) => PORTAL_FIELDS.has(f));
    default:
      return false;
  }
}

function changedFields(payload: unknown): string[] {
  const changes = field(payload, 'changes');
  return Array.isArray(changes) ? changes.map((c) => field(c, 'field')).filter((f): f is string => typeof f === 'string') : [];
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

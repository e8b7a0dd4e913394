import type { z } from 'zod';
import type { Attachment, Incident, IncidentListQuery, TimelineEntry } from '../../../contract/incidents.ts';

/**
 * What a requester is given of an incident, decided here only: an allowlist, so that a field added to incidents
 * reaches staff alone until someone decides requesters may see it. The portal shows the reference, title,
 * description, status, priority, dates and resolution text; a requester also keeps what they gave or may read
 * elsewhere (organization, caller, channel, impact and urgency, service of the public catalog, the links they may
 * see). Assignment, the priority override and its reason, the resolution code, counters, who logged it and the SLA
 * clocks are for staff (the contract marks them "Staff only: absent for requesters").
 */
export const REQUESTER_INCIDENT_FIELDS = [
  'id', 'ref', 'orgId', 'callerId', 'callerName', 'title', 'description', 'channel', 'status', 'pendingReason',
  'impact', 'urgency', 'priority', 'reportedAt', 'serviceId', 'parentId', 'childIds', 'resolution',
  'createdAt', 'updatedAt', 'resolvedAt', 'closedAt',
] as const satisfies readonly (keyof Incident)[];

const INCIDENT_FIELDS: ReadonlySet<string> = new Set(REQUESTER_INCIDENT_FIELDS);
/** Fields a public timeline event may name besides the incident's: the files it lists. */
const TIMELINE_FIELDS: ReadonlySet<string> = new Set([...REQUESTER_INCIDENT_FIELDS, 'attachment']);

type Entry = z.input<typeof TimelineEntry>;
type File = z.input<typeof Attachment>;

/**
 * An incident as a requester is given it: the allowed fields only.
 * @example forRequester({ ...incident, agentId: 7, priorityReason: 'CEO' }) // neither agentId nor priorityReason
 */
export function forRequester(incident: Incident): Incident {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(incident)) if (INCIDENT_FIELDS.has(key)) kept[key] = value;
  return kept as Incident;
}

/**
 * A public timeline entry as a requester is given it: no author id (the author's name stays: the portal signs
 * replies with it), and only the changes of fields they may see (a status change also records who took the
 * incident, the resolution code, the reopen counter…).
 * @example timelineEntryForRequester({ …, changes: [{ field: 'status', … }, { field: 'agentId', … }] }) // the status change only
 */
export function timelineEntryForRequester<E extends Entry>(entry: E): E {
  const kept: E = { ...entry };
  delete kept.authorId;
  if (entry.changes) kept.changes = entry.changes.filter((c) => TIMELINE_FIELDS.has(c.field));
  if (entry.attachments) kept.attachments = entry.attachments.map(attachmentForRequester);
  return kept;
}

/** A file as a requester is given it: without the id of whoever uploaded it. */
export function attachmentForRequester<A extends File>(file: A): A {
  const kept: A = { ...file };
  delete kept.uploadedById;
  return kept;
}

/**
 * The parameters of a list query that would tell a requester what they are not given: which incidents an agent or
 * a team holds, which are unassigned, and in which order their TTR deadlines fall (the sort and its cursor).
 * @example staffOnlyParameters({ agentId: [7], sort: '-createdAt' }) // ['agentId']
 */
export function staffOnlyParameters(query: Pick<IncidentListQuery, 'teamId' | 'agentId' | 'unassigned' | 'sort'>): ('teamId' | 'agentId' | 'unassigned' | 'sort')[] {
  return [
    ...(query.teamId !== undefined ? (['teamId'] as const) : []),
    ...(query.agentId !== undefined ? (['agentId'] as const) : []),
    ...(query.unassigned !== undefined ? (['unassigned'] as const) : []),
    ...(query.sort === 'ttrDueAt' || query.sort === '-ttrDueAt' ? (['sort'] as const) : []),
  ];
}

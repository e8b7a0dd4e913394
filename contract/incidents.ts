import { z } from 'zod';
import { Id, MAX_ID, PageQuery, Timestamp, TimestampInput } from './common.ts';

export const IncidentStatus = z.enum(['new', 'assigned', 'in_progress', 'pending', 'resolved', 'closed']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;
export const Channel = z.enum(['portal', 'email', 'phone', 'api', 'monitoring']);
export type Channel = z.infer<typeof Channel>;
export const PendingReason = z.enum(['customer', 'vendor', 'change', 'other']);
export type PendingReason = z.infer<typeof PendingReason>;
export const ResolutionCode = z.enum(['fixed', 'workaround', 'duplicate', 'no_fault_found', 'user_error', 'other']);
export type ResolutionCode = z.infer<typeof ResolutionCode>;
export const Impact = z.number().int().min(1).max(3).describe('1 a department or more, 2 a service, 3 one person');
export const Urgency = z.number().int().min(1).max(4).describe('1 critical … 4 low');
export const Priority = z.number().int().min(1).max(4);

/** `123` or a reference such as `I-000123`. */
export const IncidentIdParams = z.object({
  id: z
    .string()
    .regex(/^(\d+|[Ii]-\d+)$/, 'An incident id or a reference such as I-000123')
    .transform((s) => Number(s.replace(/^[Ii]-/, '')))
    .pipe(z.number().int().positive().max(MAX_ID)),
});

/**
 * A field of an incident, a timeline entry or an attachment that only staff are given: a requester's answers
 * leave it out (the portal shows none of them: assignment, internal classification and counters, SLA clocks).
 */
function staffOnly<T extends z.ZodType>(schema: T) {
  return schema.optional().describe(`${schema.description ? `${schema.description}. ` : ''}Staff only: absent for requesters`);
}

export const Incident = z.object({
  id: Id,
  ref: z.string(),
  orgId: Id,
  callerId: Id.nullable(),
  callerName: z.string().nullable().optional().describe('Given by GET and lists'),
  title: z.string(),
  description: z.string(),
  channel: Channel,
  status: IncidentStatus,
  pendingReason: PendingReason.nullable(),
  impact: z.number().int(),
  urgency: z.number().int(),
  priority: z.number().int(),
  priorityOverridden: staffOnly(z.boolean()),
  priorityReason: staffOnly(z.string().nullable()),
  reportedAt: Timestamp,
  serviceId: Id.nullable(),
  ciIds: staffOnly(z.array(Id)),
  teamId: staffOnly(Id.nullable()),
  agentId: staffOnly(Id.nullable()),
  parentId: Id.nullable(),
  childIds: z.array(Id),
  problemId: staffOnly(Id.nullable()),
  resolutionCode: staffOnly(ResolutionCode.nullable()),
  resolution: z.string().nullable(),
  reopenCount: staffOnly(z.number().int()),
  createdById: staffOnly(Id.nullable()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  resolvedAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
  lastCustomerUpdateAt: staffOnly(Timestamp.nullable().describe('When the customer last reported, replied, confirmed or reopened')),
  slaPolicyId: staffOnly(Id.nullable()),
  ttoDueAt: staffOnly(Timestamp.nullable().describe('Time to own: due instant (business time of the policy calendar)')),
  ttrDueAt: staffOnly(Timestamp.nullable().describe('Time to resolve: due instant; null while the clock is paused')),
  ttoMetAt: staffOnly(Timestamp.nullable().describe('First assignment to an agent or first public reply')),
  ttoWarned: staffOnly(z.boolean()),
  ttoBreached: staffOnly(z.boolean()),
  ttrWarned: staffOnly(z.boolean()),
  ttrBreached: staffOnly(z.boolean()),
  slaPaused: staffOnly(z.boolean().describe('The TTR clock is stopped (pending for a reason the policy pauses on)')),
  slaPausedMinutes: staffOnly(z.number().int().describe('Business minutes not counted against TTR so far: stays in pending the policy pauses on, and time spent resolved before a reopening')),
});
export type Incident = z.infer<typeof Incident>;
/** An incident as staff are given it: with every staff-only field. */
export type StaffIncident = Incident &
  Required<Pick<Incident, 'priorityOverridden' | 'priorityReason' | 'ciIds' | 'teamId' | 'agentId' | 'problemId' | 'resolutionCode' | 'reopenCount' | 'createdById'
    | 'lastCustomerUpdateAt' | 'slaPolicyId' | 'ttoDueAt' | 'ttrDueAt' | 'ttoMetAt' | 'ttoWarned' | 'ttoBreached' | 'ttrWarned' | 'ttrBreached' | 'slaPaused' | 'slaPausedMinutes'>>;

const Title = z.string().trim().min(1).max(255);
const Description = z.string().max(100_000);

export const CreateIncidentBody = z.object({
  orgId: Id.optional().describe("Required for agents unless implied by callerId; implied for requesters"),
  callerId: Id.nullable().optional(),
  title: Title,
  description: Description.default(''),
  channel: Channel.optional(),
  impact: Impact.default(3),
  urgency: Urgency.default(3),
  reportedAt: TimestampInput.optional().describe('Defaults to now; may be earlier, never later'),
  serviceId: Id.nullable().optional(),
  teamId: Id.nullable().optional(),
  agentId: Id.nullable().optional(),
  parentId: Id.nullable().optional(),
});
export type CreateIncidentBody = z.infer<typeof CreateIncidentBody>;

export const UpdateIncidentBody = z
  .object({
    title: Title,
    description: Description,
    callerId: Id.nullable(),
    impact: Impact,
    urgency: Urgency,
    priority: Priority.nullable().describe('Manager override; null returns to the matrix'),
    priorityReason: z.string().trim().min(1).max(1000),
    serviceId: Id.nullable(),
    teamId: Id.nullable(),
    agentId: Id.nullable(),
    parentId: Id.nullable(),
  })
  .partial();
export type UpdateIncidentBody = z.infer<typeof UpdateIncidentBody>;

export const TransitionBody = z.object({
  to: IncidentStatus,
  pendingReason: PendingReason.optional(),
  resolutionCode: ResolutionCode.optional(),
  resolution: z.string().trim().max(100_000).optional(),
  teamId: Id.optional().describe('With `assigned`: the team to assign to'),
  agentId: Id.optional().describe('With `assigned` or `in_progress`: the agent who takes it'),
  comment: z.string().trim().max(100_000).optional().describe('Optional public reply added with the transition'),
});
export type TransitionBody = z.infer<typeof TransitionBody>;

export const IncidentSort = z.enum([
  'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'priority', '-priority', 'reportedAt', '-reportedAt', 'ttrDueAt', '-ttrDueAt',
]);
export type IncidentSort = z.infer<typeof IncidentSort>;

const csv = <O>(item: z.ZodType<O, any>) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean))
    .pipe(z.array(item).max(100));

export const IncidentListQuery = PageQuery.extend({
  status: csv(IncidentStatus).optional(),
  priority: csv(z.coerce.number().int().min(1).max(4)).optional(),
  orgId: csv(Id).optional(),
  teamId: csv(Id).optional().describe('Staff only: 400 for requesters'),
  agentId: csv(Id).optional().describe('Staff only: 400 for requesters'),
  callerId: Id.optional(),
  parentId: Id.optional(),
  channel: csv(Channel).optional(),
  unassigned: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('Staff only: 400 for requesters'),
  createdFrom: TimestampInput.optional(),
  createdTo: TimestampInput.optional(),
  q: z.string().trim().max(200).optional().describe('Full text over title and description, accent-insensitive'),
  sort: IncidentSort.default('-createdAt').describe('ttrDueAt and -ttrDueAt are for staff only: 400 for requesters'),
});
export type IncidentListQuery = z.infer<typeof IncidentListQuery>;

export const CommentVisibility = z.enum(['public', 'internal']);
export const CreateCommentBody = z.object({
  body: z.string().trim().min(1).max(100_000),
  visibility: CommentVisibility.default('public'),
});

export const Attachment = z.object({
  id: Id,
  incidentId: Id,
  timelineEntryId: Id.nullable(),
  visibility: z.enum(['public', 'internal']),
  filename: z.string(),
  contentType: z.string().describe('Sniffed from the bytes, not taken from the upload'),
  size: z.number().int(),
  uploadedById: staffOnly(Id.nullable()),
  createdAt: Timestamp,
  url: z.string(),
});

export const TimelineEntry = z.object({
  id: Id,
  incidentId: Id,
  kind: z.enum(['reply', 'note', 'event']),
  visibility: CommentVisibility,
  authorId: staffOnly(Id.nullable()),
  authorName: z.string().nullable(),
  body: z.string().nullable(),
  event: z.string().nullable().describe('created, status_changed, field_changed, …'),
  changes: z
    .array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() }))
    .nullable(),
  attachments: z.array(Attachment).default([]),
  createdAt: Timestamp,
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;
export const TimelineQuery = PageQuery.extend({ limit: z.coerce.number().int().min(1).max(200).default(200) });

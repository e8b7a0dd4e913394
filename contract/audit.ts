import { z } from 'zod';
import { Id, PageQuery, Timestamp, TimestampInput } from './common.ts';

/**
 * What the admin audit log shows: changes of configuration, never of incidents, people or timelines.
 * `settings`, `identity_provider`, `mailbox` and `integration` appear as those modules emit events.
 */
export const AuditTargetType = z.enum(['organization', 'user', 'team', 'service', 'calendar', 'sla_policy', 'settings', 'identity_provider', 'mailbox', 'integration']);
export type AuditTargetType = z.infer<typeof AuditTargetType>;
export const AUDIT_TARGET_TYPES = AuditTargetType.options;

export const AuditLogFilters = z.object({
  actorId: Id.optional().describe('Who made the change'),
  aggregateType: AuditTargetType.optional().describe('What kind of configuration changed'),
  aggregateId: Id.optional().describe('Which record changed (with aggregateType)'),
  type: z.string().trim().min(1).max(100).optional().describe('Event type, e.g. `user.updated`'),
  from: TimestampInput.optional().describe('Changes at or after this instant'),
  to: TimestampInput.optional().describe('Changes before this instant'),
  q: z.string().trim().min(1).max(200).optional().describe('Text found in the change (field names and values, case-insensitive)'),
});

export const AuditLogQuery = PageQuery.extend(AuditLogFilters.shape);
export const AuditExportQuery = AuditLogFilters.extend({ format: z.enum(['csv']).default('csv') });

/** A field's change; secrets (passwords, tokens, keys) show as "***". */
export const AuditChange = z.object({
  field: z.string(),
  from: z.unknown().optional().describe('Absent when the event states a value rather than a change (a creation, a count)'),
  to: z.unknown(),
});

export const AuditEntry = z.object({
  id: z.number().int(),
  at: Timestamp,
  type: z.string().describe('Event type, e.g. `sla_policy.updated`'),
  actor: z.object({ id: z.number().int(), name: z.string(), email: z.string() }).nullable().describe('null: Vigie itself'),
  address: z.string().nullable().describe('Client IP address of the request (null for background work)'),
  requestId: z.string().nullable(),
  target: z.object({ type: z.string(), id: z.number().int(), label: z.string().nullable() }),
  changes: z.array(AuditChange),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

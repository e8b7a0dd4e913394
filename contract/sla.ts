import { z } from 'zod';
import { Id, PageQuery, QueryBoolean, Timestamp, TimestampInput } from './common.ts';
import { PendingReason } from './incidents.ts';

export const SlaTarget = z.object({
  priority: z.number().int().min(1).max(4),
  ttoMinutes: z.number().int().min(1).max(525_600).describe('Time to own, in business minutes'),
  ttrMinutes: z.number().int().min(1).max(525_600).describe('Time to resolve, in business minutes'),
});

export const SlaPolicy = z.object({
  id: Id,
  name: z.string(),
  orgId: Id.nullable(),
  serviceId: Id.nullable(),
  calendarId: Id,
  targets: z.array(SlaTarget),
  pauseWhen: z.array(PendingReason),
  warnAtPercent: z.number().int(),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateSlaPolicyBody = z.object({
  name: z.string().trim().min(1).max(200),
  orgId: Id.nullable().optional().describe('Only for this organization; absent for every organization'),
  serviceId: Id.nullable().optional().describe('Only for this service; absent for every service'),
  calendarId: Id,
  targets: z
    .array(SlaTarget)
    .min(1)
    .max(4)
    .refine((ts) => new Set(ts.map((t) => t.priority)).size === ts.length, 'One target per priority')
    .refine((ts) => ts.every((t) => t.ttoMinutes <= t.ttrMinutes), 'Time to own cannot exceed time to resolve'),
  pauseWhen: z.array(PendingReason).max(4).default(['customer']),
  warnAtPercent: z.number().int().min(1).max(99).default(75),
});
export const UpdateSlaPolicyBody = CreateSlaPolicyBody.extend({
  pauseWhen: CreateSlaPolicyBody.shape.pauseWhen.unwrap(),
  warnAtPercent: CreateSlaPolicyBody.shape.warnAtPercent.unwrap(),
})
  .partial()
  .extend({ active: z.boolean().optional() });
export const SlaPolicyListQuery = PageQuery.extend({ active: QueryBoolean.optional(), orgId: Id.optional() });

export const SlaReportQuery = z.object({
  from: TimestampInput,
  to: TimestampInput,
  orgId: Id.optional(),
});
export const SlaReportRow = z.object({
  orgId: Id,
  priority: z.number().int(),
  incidents: z.number().int(),
  ttoMet: z.number().int(),
  ttoBreached: z.number().int(),
  ttrMet: z.number().int(),
  ttrBreached: z.number().int(),
  ttoCompliance: z.number().nullable().describe('Percentage of incidents owned in time, among those with a verdict'),
  ttrCompliance: z.number().nullable(),
});
export const SlaReport = z.object({ from: Timestamp, to: Timestamp, rows: z.array(SlaReportRow) });

/** Optional: a POST without a body recomputes every organization in the caller's scope. */
export const SlaRecomputeBody = z
  .object({ orgId: Id.optional().describe('Only this organization; absent, every organization in your scope') })
  .strict()
  .nullish();
export const SlaRecomputeResult = z.object({ recomputed: z.number().int() });

import { z } from 'zod';
import { Id, PageQuery, QueryBoolean, Timestamp, TimestampInput } from './common.ts';

export const WorkingInterval = z.object({
  day: z.number().int().describe('1 = Monday … 7 = Sunday'),
  start: z.string().describe("HH:MM in the calendar's zone"),
  end: z.string().describe("HH:MM in the calendar's zone; 24:00 allowed"),
});
export const Holiday = z.object({
  date: z.string().describe('YYYY-MM-DD'),
  name: z.string().trim().max(200).default(''),
  recurring: z.boolean().default(false).describe('Every year on this month and day'),
});

export const Calendar = z.object({
  id: Id,
  name: z.string(),
  timezone: z.string(),
  hours: z.array(WorkingInterval),
  holidays: z.array(Holiday),
  active: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const CreateCalendarBody = z.object({
  name: z.string().trim().min(1).max(200),
  timezone: z.string().min(1).max(100),
  hours: z.array(WorkingInterval).max(100),
  holidays: z.array(Holiday).max(500).default([]),
});
export const UpdateCalendarBody = CreateCalendarBody.extend({ holidays: z.array(Holiday).max(500) })
  .partial()
  .extend({ active: z.boolean().optional() });
export const CalendarListQuery = PageQuery.extend({ active: QueryBoolean.optional() });

export const DeadlineBody = z.object({
  start: TimestampInput,
  minutes: z.number().int().min(0).max(5_256_000).describe('Business minutes (up to ten years)'),
});
export const DeadlineResult = z.object({ deadline: Timestamp });
export const BusinessMinutesBody = z.object({ from: TimestampInput, to: TimestampInput });
export const BusinessMinutesResult = z.object({ minutes: z.number() });

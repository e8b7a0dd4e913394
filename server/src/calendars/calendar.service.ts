import type { z } from 'zod';
import type { BusinessMinutesBody, CalendarListQuery, CreateCalendarBody, DeadlineBody, UpdateCalendarBody } from '../../../contract/calendars.ts';
import type { Ctx } from '../context.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { decodeCursor, toPage } from '../lib/cursor.ts';
import { diff } from '../lib/diff.ts';
import { compiledCalendar } from '../sla/business-clock.ts';
import { type CalendarSpec, validateCalendar } from '../sla/business-time.ts';
import { type Actor, requireProviderWide, requireRole, STAFF } from '../tenancy/scope.ts';
import * as repo from './calendar.repository.ts';

/**
 * Business calendars belong to the provider and any policy may use them: admins and managers of all organizations
 * edit them, staff read them.
 */
export async function createCalendar(ctx: Ctx, actor: Actor, input: z.infer<typeof CreateCalendarBody>) {
  requireProviderWide(actor, 'A business calendar');
  assertValid(input);
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.insertCalendar(trx, {
      name: input.name,
      timezone: input.timezone,
      hours: JSON.stringify(sortHours(input.hours)),
      holidays: JSON.stringify(input.holidays),
      active: 1,
      created_at: now,
      updated_at: now,
    });
    const calendar = repo.toCalendar(row);
    await appendEvent(trx, { type: 'calendar.created', orgId: null, aggregateType: 'calendar', aggregateId: row.id, actorId: actor.userId, payload: calendar }, now);
    return calendar;
  });
}

export async function updateCalendar(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof UpdateCalendarBody>) {
  // Before the lookup: whoever may not change calendars is refused alike whether the calendar exists or not.
  requireProviderWide(actor, 'A business calendar');
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await repo.getCalendar(trx, id);
    if (!before) throw AppError.notFound('Calendar');
    const spec = repo.specOf(before);
    assertValid({ timezone: input.timezone ?? spec.timezone, hours: input.hours ?? spec.hours, holidays: input.holidays ?? spec.holidays });
    const row = await repo.updateCalendar(trx, id, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.timezone !== undefined && { timezone: input.timezone }),
      ...(input.hours !== undefined && { hours: JSON.stringify(sortHours(input.hours)) }),
      ...(input.holidays !== undefined && { holidays: JSON.stringify(input.holidays) }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
      updated_at: now,
    });
    const calendar = repo.toCalendar(row);
    const changes = diff(repo.toCalendar(before), calendar);
    if (changes.length > 0) {
      await appendEvent(trx, { type: 'calendar.updated', orgId: null, aggregateType: 'calendar', aggregateId: id, actorId: actor.userId, payload: { changes } }, now);
    }
    return calendar;
  });
}

export async function getCalendar(ctx: Ctx, actor: Actor, id: number) {
  requireRole(actor, ...STAFF);
  const row = await repo.getCalendar(ctx.db, id);
  if (!row) throw AppError.notFound('Calendar');
  return repo.toCalendar(row);
}

export async function listCalendars(ctx: Ctx, actor: Actor, query: z.infer<typeof CalendarListQuery>) {
  requireRole(actor, ...STAFF);
  const afterId = query.cursor ? Number(decodeCursor(query.cursor)[1]) : undefined;
  const rows = await repo.listCalendars(ctx.db, { afterId, limit: query.limit, active: query.active });
  return toPage(rows, query.limit, repo.toCalendar, (r) => [r.id, r.id]);
}

/** The instant when `minutes` business minutes have elapsed after `start` on this calendar. */
export async function calendarDeadline(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof DeadlineBody>) {
  requireRole(actor, ...STAFF);
  const cal = await compiledCalendar(ctx.db, id);
  return { deadline: withinReach('minutes', () => cal.deadline(new Date(input.start), input.minutes)).toISOString() };
}

export async function calendarBusinessMinutes(ctx: Ctx, actor: Actor, id: number, input: z.infer<typeof BusinessMinutesBody>) {
  requireRole(actor, ...STAFF);
  const cal = await compiledCalendar(ctx.db, id);
  return { minutes: withinReach('to', () => cal.businessMinutes(new Date(input.from), new Date(input.to))) };
}

function assertValid(spec: CalendarSpec) {
  const errors = validateCalendar(spec);
  if (errors.length > 0) throw AppError.validation(errors, 'The calendar is not valid');
}

/** Business-time arithmetic refuses spans of more than 30 years: a field error, not a server fault. */
function withinReach<T>(path: string, compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof RangeError) throw AppError.validation([{ path, message: err.message }]);
    throw err;
  }
}

function sortHours(hours: CalendarSpec['hours']) {
  return [...hours].sort((a, b) => a.day - b.day || a.start.localeCompare(b.start));
}

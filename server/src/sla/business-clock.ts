import { getCalendar, specOf } from '../calendars/calendar.repository.ts';
import type { Executor } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import { CompiledCalendar } from './business-time.ts';
import type { BusinessClock } from './sla-rules.ts';

// Compiled calendars, keyed by their content: a change (on any node, at any clock) compiles afresh.
const compiled = new Map<string, CompiledCalendar>();
const MAX_CACHED = 200;

/** A calendar compiled for business-time arithmetic; 404 for an unknown id. */
export async function compiledCalendar(db: Executor, calendarId: number): Promise<CompiledCalendar> {
  const row = await getCalendar(db, calendarId);
  if (!row) throw AppError.notFound('Calendar');
  const key = `${row.timezone}\n${row.hours}\n${row.holidays}`;
  let cal = compiled.get(key);
  if (!cal) {
    cal = new CompiledCalendar(specOf(row));
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, cal);
  }
  return cal;
}

/** The business clock of a calendar, as the SLA rules use it. */
export async function businessClockFor(db: Executor, calendarId: number): Promise<BusinessClock> {
  const cal = await compiledCalendar(db, calendarId);
  return { deadline: (start, minutes) => cal.deadline(start, minutes), minutesBetween: (from, to) => cal.businessMinutes(from, to) };
}

export async function calendarIsActive(db: Executor, calendarId: number): Promise<boolean> {
  return (await getCalendar(db, calendarId))?.active === 1;
}

import type { Insertable, Selectable, Updateable } from 'kysely';
import type { CalendarTable, Executor } from '../db/database.ts';
import type { CalendarSpec } from '../sla/business-time.ts';

export type CalendarRow = Selectable<CalendarTable>;

export function getCalendar(db: Executor, id: number) {
  return db.selectFrom('calendars').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listCalendars(db: Executor, f: { afterId?: number; limit: number; active?: boolean }) {
  let q = db.selectFrom('calendars').selectAll();
  if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
  if (f.active !== undefined) q = q.where('active', '=', f.active ? 1 : 0);
  return q.orderBy('id').limit(f.limit + 1).execute();
}

export function insertCalendar(db: Executor, values: Insertable<CalendarTable>) {
  return db.insertInto('calendars').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateCalendar(db: Executor, id: number, values: Updateable<CalendarTable>) {
  return db.updateTable('calendars').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function specOf(row: CalendarRow): CalendarSpec {
  return { timezone: row.timezone, hours: JSON.parse(row.hours), holidays: JSON.parse(row.holidays) };
}

export function toCalendar(row: CalendarRow) {
  const spec = specOf(row);
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone,
    hours: spec.hours,
    holidays: spec.holidays.map((h) => ({ date: h.date, name: h.name ?? '', recurring: h.recurring })),
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

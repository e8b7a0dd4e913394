/**
 * Pure helpers of the calendar and SLA policy forms: presets, a short summary of weekly hours, and
 * business minutes as hours + minutes. No React, no I/O.
 */

export interface WorkingInterval {
  day: number;
  start: string;
  end: string;
}

const WEEKDAYS = [1, 2, 3, 4, 5];
export const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];

/** Monday to Friday, 9:00 to 17:00 with a lunch break from 12:00 to 13:00. */
export const OFFICE_HOURS: WorkingInterval[] = WEEKDAYS.flatMap((day) => [
  { day, start: '09:00', end: '12:00' },
  { day, start: '13:00', end: '17:00' },
]);

/** Every day, all day. */
export const ALWAYS_OPEN: WorkingInterval[] = ALL_DAYS.map((day) => ({ day, start: '00:00', end: '24:00' }));

/**
 * "Mon–Fri 09:00–12:00, 13:00–17:00 · Sat 09:00–12:00": days with the same intervals grouped, runs of
 * consecutive days shown as ranges. `dayName(1)` is Monday's short name.
 */
export function summarizeHours(hours: WorkingInterval[], dayName: (day: number) => string): string {
  const byDay = new Map<number, string>();
  for (const day of ALL_DAYS) {
    const spans = hours
      .filter((h) => h.day === day)
      .sort((a, b) => a.start.localeCompare(b.start))
      .map((h) => `${h.start}–${h.end}`);
    if (spans.length > 0) byDay.set(day, spans.join(', '));
  }
  const groups = new Map<string, number[]>();
  for (const [day, spans] of byDay) groups.set(spans, [...(groups.get(spans) ?? []), day]);
  return [...groups]
    .map(([spans, days]) => `${dayRanges(days, dayName)} ${spans}`)
    .join(' · ');
}

/** Business minutes as whole hours and the minutes left: 150 → { hours: 2, minutes: 30 }. */
export function splitMinutes(total: number): { hours: number; minutes: number } {
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}

/** "15 min", "4 h", "1 h 30" — short, for tables; `h` and `min` are the language's abbreviations. */
export function shortDuration(total: number, units: { h: string; min: string }): string {
  const { hours, minutes } = splitMinutes(total);
  if (hours === 0) return `${minutes} ${units.min}`;
  if (minutes === 0) return `${hours} ${units.h}`;
  return `${hours} ${units.h} ${String(minutes).padStart(2, '0')}`;
}

/** The row an overlap error points to: "Overlaps hours.3 on the same day" → 3. */
export function overlappedRow(message: string): number | null {
  const match = /^Overlaps hours\.(\d+)/.exec(message);
  return match ? Number(match[1]) : null;
}

function dayRanges(days: number[], dayName: (day: number) => string): string {
  const runs: number[][] = [];
  for (const day of days) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === day - 1) last.push(day);
    else runs.push([day]);
  }
  return runs
    .map((run) => (run.length >= 3 ? `${dayName(run[0]!)}–${dayName(run[run.length - 1]!)}` : run.map(dayName).join(', ')))
    .join(', ');
}

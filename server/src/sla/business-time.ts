import { DateTime } from 'luxon';

/**
 * Business time on a calendar: an IANA zone, weekly working intervals and holidays. Pure: no I/O.
 *
 * A calendar is compiled into sorted UTC working intervals with running totals, generated day by day in
 * the calendar's zone (so daylight-saving changes are exact: an interval over a skipped hour shrinks, one
 * over a repeated hour grows). `deadline` and `businessMinutes` are then two binary searches.
 */
export interface CalendarSpec {
  timezone: string;
  hours: { day: number; start: string; end: string }[];
  holidays: { date: string; name?: string; recurring: boolean }[];
}

export interface FieldError {
  path: string;
  message: string;
}

const MINUTE_MS = 60_000;
const CHUNK_DAYS = 400;
const MAX_YEARS = 30;

export class CompiledCalendar {
  private starts: number[] = [];
  private ends: number[] = [];
  /** Business milliseconds before each interval, from the first generated day. */
  private before: number[] = [];
  private firstDay: DateTime;
  private nextDay: DateTime;
  private readonly byWeekday: { startMin: number; endMin: number }[][];
  private readonly holidays: Set<string>;
  private readonly yearly: Set<string>;

  constructor(readonly spec: CalendarSpec, around: Date = new Date()) {
    this.byWeekday = [1, 2, 3, 4, 5, 6, 7].map((d) =>
      spec.hours
        .filter((h) => h.day === d)
        .map((h) => ({ startMin: toMinutes(h.start), endMin: toMinutes(h.end) }))
        .sort((a, b) => a.startMin - b.startMin),
    );
    if (this.byWeekday.every((d) => d.length === 0)) throw new RangeError('A calendar needs at least one working interval');
    this.holidays = new Set(spec.holidays.filter((h) => !h.recurring).map((h) => h.date));
    this.yearly = new Set(spec.holidays.filter((h) => h.recurring).map((h) => h.date.slice(5)));
    this.firstDay = DateTime.fromJSDate(around, { zone: spec.timezone }).startOf('day').minus({ days: 31 });
    this.nextDay = this.firstDay;
    this.extend();
  }

  /** The instant when `minutes` business minutes have elapsed after `start` (a start outside hours begins at the next opening). */
  deadline(start: Date, minutes: number): Date {
    const t = start.getTime();
    const goal = this.position(t) + minutes * MINUTE_MS;
    if (minutes <= 0) return new Date(this.nextOpening(t));
    while (this.totalAtEnd() < goal) this.extend();
    // The first interval whose end reaches the goal.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.before[mid]! + (this.ends[mid]! - this.starts[mid]!) >= goal) hi = mid;
      else lo = mid + 1;
    }
    return new Date(this.starts[lo]! + (goal - this.before[lo]!));
  }

  /** Business minutes between two instants (0 when `to` is not after `from`). */
  businessMinutes(from: Date, to: Date): number {
    if (to.getTime() <= from.getTime()) return 0;
    // `from` first: covering it may rebuild the window; covering `to` afterwards only extends it.
    const a = this.position(from.getTime());
    return (this.position(to.getTime()) - a) / MINUTE_MS;
  }

  /** Business milliseconds elapsed from the start of the compiled window up to instant t. */
  private position(t: number): number {
    this.cover(t);
    const i = this.firstEndingAfter(t);
    return t <= this.starts[i]! ? this.before[i]! : this.before[i]! + (t - this.starts[i]!);
  }

  private nextOpening(t: number): number {
    this.cover(t);
    const i = this.firstEndingAfter(t);
    return Math.max(t, this.starts[i]!);
  }

  private firstEndingAfter(t: number): number {
    let lo = 0;
    let hi = this.ends.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Makes sure the window starts before t and has an interval ending after it. */
  private cover(t: number): void {
    if (t < this.firstDay.toMillis()) this.restartFrom(DateTime.fromMillis(t, { zone: this.spec.timezone }).startOf('day').minus({ days: 31 }));
    while (this.ends.length === 0 || this.ends[this.ends.length - 1]! <= t) this.extend();
  }

  private restartFrom(day: DateTime): void {
    this.starts = [];
    this.ends = [];
    this.before = [];
    this.firstDay = day;
    this.nextDay = day;
    this.extend();
  }

  private totalAtEnd(): number {
    const n = this.starts.length;
    return n === 0 ? 0 : this.before[n - 1]! + (this.ends[n - 1]! - this.starts[n - 1]!);
  }

  private extend(): void {
    if (this.nextDay.diff(this.firstDay, 'years').years > MAX_YEARS) throw new RangeError('Deadline too far: more than 30 years of business time');
    let total = this.totalAtEnd();
    for (let i = 0; i < CHUNK_DAYS; i++) {
      const day = this.nextDay;
      this.nextDay = day.plus({ days: 1 });
      const iso = day.toISODate()!;
      if (this.holidays.has(iso) || this.yearly.has(iso.slice(5))) continue;
      for (const { startMin, endMin } of this.byWeekday[day.weekday - 1]!) {
        const s = localInstant(day, startMin);
        const e = localInstant(day, endMin);
        if (e <= s) continue;
        const last = this.ends.length - 1;
        if (last >= 0 && this.ends[last]! >= s) {
          // Contiguous with the previous interval (e.g. 24/7): extend it.
          if (e > this.ends[last]!) {
            total += e - this.ends[last]!;
            this.ends[last] = e;
          }
          continue;
        }
        this.starts.push(s);
        this.ends.push(e);
        this.before.push(total);
        total += e - s;
      }
    }
  }
}

/** The UTC instant of a local wall-clock time (minutes from midnight, 1440 = next midnight) on a day. */
function localInstant(day: DateTime, minutes: number): number {
  if (minutes >= 1440) return day.plus({ days: 1 }).startOf('day').toMillis();
  // In a skipped hour luxon moves forward; in a repeated hour it takes the first occurrence.
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 }).toMillis();
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Field errors of a calendar: unknown zone, bad times, an interval ending before it starts, overlaps, bad dates. */
export function validateCalendar(spec: CalendarSpec): FieldError[] {
  const errors: FieldError[] = [];
  if (!DateTime.local().setZone(spec.timezone).isValid) errors.push({ path: 'timezone', message: 'Unknown IANA time zone' });
  if (spec.hours.length === 0) errors.push({ path: 'hours', message: 'At least one working interval is needed' });
  spec.hours.forEach((h, i) => {
    if (!Number.isInteger(h.day) || h.day < 1 || h.day > 7) errors.push({ path: `hours.${i}.day`, message: '1 (Monday) to 7 (Sunday)' });
    const startOk = /^([01]\d|2[0-3]):[0-5]\d$/.test(h.start);
    const endOk = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(h.end);
    if (!startOk) errors.push({ path: `hours.${i}.start`, message: 'HH:MM, 00:00 to 23:59' });
    if (!endOk) errors.push({ path: `hours.${i}.end`, message: 'HH:MM, 00:01 to 24:00' });
    if (startOk && endOk && toMinutes(h.end) <= toMinutes(h.start)) errors.push({ path: `hours.${i}.end`, message: 'Must be after the start' });
  });
  const valid = spec.hours.map((h, i) => ({ ...h, i })).filter((h) => !errors.some((e) => e.path.startsWith(`hours.${h.i}.`)));
  for (const a of valid) {
    const overlap = valid.find((b) => b.i < a.i && b.day === a.day && toMinutes(b.start) < toMinutes(a.end) && toMinutes(a.start) < toMinutes(b.end));
    if (overlap) errors.push({ path: `hours.${a.i}`, message: `Overlaps hours.${overlap.i} on the same day` });
  }
  spec.holidays.forEach((h, i) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h.date) || !DateTime.fromISO(h.date).isValid) errors.push({ path: `holidays.${i}.date`, message: 'A date YYYY-MM-DD' });
  });
  return errors;
}

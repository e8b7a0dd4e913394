import { DateTime, IANAZone } from 'luxon';

/**
 * Business time on a calendar: an IANA zone, weekly working intervals and holidays. Pure: no I/O.
 *
 * A calendar is compiled into sorted UTC working intervals with running totals, generated day by day in
 * the calendar's zone, so daylight-saving changes are exact. An interval opens when the local clock first
 * reads its start and closes when it first reads its end (or a later time, across a skipped hour): over a
 * skipped hour it shrinks, over a repeated hour it grows. `deadline` and `businessMinutes` are then binary
 * searches over that window, which is extended (or moved) lazily as instants outside it are asked about.
 *
 * Minutes are business minutes (whole minutes in the API; fractions work); instants are exact to the millisecond.
 */

/**
 * The instant when `minutes` business minutes have elapsed after `start`. A start outside working hours
 * begins at the next opening, so 0 minutes from outside hours is the next opening.
 *
 * @example
 * // Paris office 09:00–12:00 and 13:00–17:00 on weekdays: Friday 16:00 plus two hours is Monday 10:00.
 * deadline(parisOffice, new Date('2026-03-06T15:00:00Z'), 120); // 2026-03-09T09:00:00.000Z
 */
export function deadline(calendar: CalendarSpec, start: Date, minutes: number): Date {
  return compileCalendar(calendar).deadline(start, minutes);
}

/** Business minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutes(calendar: CalendarSpec, from: Date, to: Date): number {
  return compileCalendar(calendar).businessMinutes(from, to);
}

/** The compiled form of a calendar, kept as long as that calendar object lives (treat specs as immutable values). */
export function compileCalendar(calendar: CalendarSpec): CompiledCalendar {
  let compiled = compiledSpecs.get(calendar);
  if (!compiled) {
    compiled = new CompiledCalendar(calendar);
    compiledSpecs.set(calendar, compiled);
  }
  return compiled;
}

/** Field errors of a calendar: unknown zone, bad times, an interval ending before it starts, overlaps, bad dates. */
export function validateCalendar(spec: CalendarSpec): FieldError[] {
  const errors: FieldError[] = [];
  if (!IANAZone.isValidZone(spec.timezone)) errors.push({ path: 'timezone', message: 'Unknown IANA time zone' });
  if (spec.hours.length === 0) errors.push({ path: 'hours', message: 'At least one working interval is needed' });
  spec.hours.forEach((h, i) => {
    if (!Number.isInteger(h.day) || h.day < 1 || h.day > 7) errors.push({ path: `hours.${i}.day`, message: '1 (Monday) to 7 (Sunday)' });
    const startOk = START.test(h.start);
    const endOk = END.test(h.end);
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

/** A calendar compiled for fast arithmetic: build once per calendar and reuse (it caches its window). */
export class CompiledCalendar {
  private starts: number[] = [];
  private ends: number[] = [];
  /** Business milliseconds before each interval, counted from the start of the window. */
  private before: number[] = [];
  /** First instant of the window's first day. */
  private firstMs = 0;
  /** First instant of the first day not generated yet. */
  private endMs = 0;
  private nextDay!: DateTime;
  private readonly zone: IANAZone;
  private readonly byWeekday: { startMin: number; endMin: number }[][];
  private readonly holidays: Set<string>;
  private readonly yearly: Set<string>;
  /** Nominal business milliseconds in a week (without holidays or clock changes). */
  private readonly weeklyMs: number;

  constructor(
    readonly spec: CalendarSpec,
    around: Date = new Date(),
  ) {
    this.zone = IANAZone.create(spec.timezone);
    if (!this.zone.isValid) throw new RangeError(`Unknown time zone ${spec.timezone}`);
    this.byWeekday = [1, 2, 3, 4, 5, 6, 7].map((d) =>
      spec.hours
        .filter((h) => h.day === d)
        .map((h) => ({ startMin: toMinutes(h.start), endMin: toMinutes(h.end) }))
        .sort((a, b) => a.startMin - b.startMin),
    );
    if (this.byWeekday.every((d) => d.length === 0)) throw new RangeError('A calendar needs at least one working interval');
    this.weeklyMs = this.byWeekday.flat().reduce((sum, h) => sum + (h.endMin - h.startMin) * MINUTE_MS, 0);
    this.holidays = new Set(spec.holidays.filter((h) => !h.recurring).map((h) => h.date));
    this.yearly = new Set(spec.holidays.filter((h) => h.recurring).map((h) => h.date.slice(5)));
    this.restartAround(around.getTime());
  }

  /** The instant when `minutes` business minutes have elapsed after `start` (a start outside hours begins at the next opening). */
  deadline(start: Date, minutes: number): Date {
    const t = start.getTime();
    if (!Number.isFinite(t) || !Number.isFinite(minutes)) throw new RangeError('An instant and a finite number of minutes are needed');
    this.cover(t);
    const limit = t + MAX_SPAN_MS;
    if (minutes <= 0) {
      while (this.ends.length === 0 || this.ends[this.ends.length - 1]! <= t) this.extend(limit);
      return new Date(Math.max(t, this.starts[this.firstEndingAfter(t)]!));
    }
    // Holidays only lower the weekly hours: beyond this, the target is surely more than MAX_SPAN away.
    if (minutes * MINUTE_MS > (this.weeklyMs * MAX_SPAN_MS) / WEEK_MS) throw new RangeError(TOO_FAR);
    const goal = this.position(t) + minutes * MINUTE_MS;
    while (this.totalAtEnd() < goal) this.extend(limit);
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
    const a = from.getTime();
    const b = to.getTime();
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new RangeError('Two instants are needed');
    if (b <= a) return 0;
    this.cover(a); // may move the window; covering b afterwards only extends it
    const limit = a + MAX_SPAN_MS;
    while (this.endMs <= b) this.extend(limit);
    return (this.position(b) - this.position(a)) / MINUTE_MS;
  }

  /** Business milliseconds from the start of the window up to instant t (generated days must include t). */
  private position(t: number): number {
    if (this.ends.length === 0 || this.ends[this.ends.length - 1]! <= t) return this.totalAtEnd();
    const i = this.firstEndingAfter(t);
    return t <= this.starts[i]! ? this.before[i]! : this.before[i]! + (t - this.starts[i]!);
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

  /**
   * Makes the window contain t. An instant before the window, or far after it, moves the window there
   * instead of stretching it, so one odd request never leaves a huge (or too long) window behind.
   */
  private cover(t: number): void {
    if (t < this.firstMs || t - this.firstMs > MOVE_AFTER_MS || t > this.endMs + MAX_GAP_MS) this.restartAround(t);
    const limit = t + MAX_SPAN_MS;
    while (this.endMs <= t) this.extend(limit);
  }

  private restartAround(t: number): void {
    this.starts = [];
    this.ends = [];
    this.before = [];
    this.nextDay = DateTime.fromMillis(t, { zone: this.zone }).startOf('day').minus({ days: 31 });
    this.firstMs = this.nextDay.toMillis();
    this.endMs = this.firstMs;
    this.extend(t + MAX_SPAN_MS);
  }

  private totalAtEnd(): number {
    const n = this.starts.length;
    return n === 0 ? 0 : this.before[n - 1]! + (this.ends[n - 1]! - this.starts[n - 1]!);
  }

  /** Generates the next CHUNK_DAYS days; refuses to go past `limit` (a request for more than MAX_SPAN of time). */
  private extend(limit: number): void {
    if (this.endMs > limit) throw new RangeError(TOO_FAR);
    let total = this.totalAtEnd();
    for (let i = 0; i < CHUNK_DAYS; i++) {
      const day = this.nextDay;
      this.nextDay = day.plus({ days: 1 });
      const iso = day.toISODate()!;
      if (this.holidays.has(iso) || this.yearly.has(iso.slice(5))) continue;
      // A day's intervals may come out of order around a repeated hour; they never overlap.
      const pieces = this.byWeekday[day.weekday - 1]!.map(({ startMin, endMin }) => [localInstant(day, startMin), localInstant(day, endMin)] as const);
      pieces.sort((p, q) => p[0] - q[0]);
      for (const [s, e] of pieces) {
        if (e <= s) continue; // wholly inside a skipped hour
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
    this.endMs = this.nextDay.startOf('day').toMillis();
  }
}

// ----- private helpers -----

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const CHUNK_DAYS = 120;
/** Longest stretch one computation may need (a start plus its target, or from → to). */
const MAX_SPAN_MS = 30 * 366 * DAY_MS;
/** The window moves rather than keeps more than this much history before an instant asked about… */
const MOVE_AFTER_MS = 10 * 366 * DAY_MS;
/** …or stretches over more than this much time nobody asked about. */
const MAX_GAP_MS = 366 * DAY_MS;
const TOO_FAR = 'Too far: more than 30 years of calendar time';
const START = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const compiledSpecs = new WeakMap<CalendarSpec, CompiledCalendar>();

/**
 * The first instant at which the local clock reads `minutes` (from midnight; 1440 = next midnight) on a day,
 * or a later time: in a repeated hour the first occurrence, in a skipped hour the moment of the change.
 */
function localInstant(day: DateTime, minutes: number): number {
  if (minutes >= 1440) return day.plus({ days: 1 }).startOf('day').toMillis();
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  const at = day.set({ hour, minute, second: 0, millisecond: 0 }); // luxon: first occurrence; skipped → moved forward
  if (at.hour === hour && at.minute === minute) return at.toMillis();
  return changeBefore(day.zone, at.toMillis());
}

/** The instant of the last offset change at or before t (within a day); t itself if there is none. */
function changeBefore(zone: DateTime['zone'], t: number): number {
  const offset = zone.offset(t);
  let lo = t - DAY_MS;
  if (zone.offset(lo) === offset) return t;
  let hi = t;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zone.offset(mid) === offset) hi = mid;
    else lo = mid;
  }
  return hi;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

// ----- types -----

export interface CalendarSpec {
  /** IANA zone, e.g. Europe/Paris. */
  timezone: string;
  /** Weekly working intervals: day 1 = Monday … 7 = Sunday; start/end 'HH:MM' local, end may be '24:00'. */
  hours: { day: number; start: string; end: string }[];
  /** Days off: 'YYYY-MM-DD'; recurring ones come back every year on that month and day. */
  holidays: { date: string; name?: string; recurring: boolean }[];
}

export interface FieldError {
  path: string;
  message: string;
}

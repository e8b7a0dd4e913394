import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessMinutes, type CalendarSpec, CompiledCalendar, compileCalendar, deadline, validateCalendar } from './business-time.ts';

const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const office = (timezone: string, holidays: CalendarSpec['holidays'] = []): CalendarSpec => ({
  timezone,
  hours: [...weekdays('09:00', '12:00'), ...weekdays('13:00', '17:00')],
  holidays,
});
const paris = new CompiledCalendar(office('Europe/Paris', [
  { date: '2026-05-01', name: 'Fête du travail', recurring: true },
  { date: '2026-05-14', name: 'Ascension', recurring: false },
  { date: '2026-12-25', name: 'Noël', recurring: true },
]));
const montreal = new CompiledCalendar({ timezone: 'America/Montreal', hours: weekdays('08:00', '18:00'), holidays: [{ date: '2026-07-01', name: 'Fête du Canada', recurring: true }] });
const allDay = new CompiledCalendar({ timezone: 'Europe/Paris', hours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start: '00:00', end: '24:00' })), holidays: [] });
const everyDay = (timezone: string, start: string, end: string): CalendarSpec => ({ timezone, hours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, start, end })), holidays: [] });
const nightShift = new CompiledCalendar(everyDay('Europe/Paris', '01:00', '04:00'));
// Intervals with an end inside the hour that daylight saving skips or repeats.
const parisOpensInGap = new CompiledCalendar(everyDay('Europe/Paris', '02:30', '05:00'));
const parisClosesInGap = new CompiledCalendar(everyDay('Europe/Paris', '00:30', '02:30'));
const montrealOpensInRepeat = new CompiledCalendar(everyDay('America/Montreal', '01:30', '03:00'));
const montrealWhollyInGap = new CompiledCalendar(everyDay('America/Montreal', '02:15', '02:45'));
const parisLeapHoliday = new CompiledCalendar(office('Europe/Paris', [{ date: '2024-02-29', name: 'Leap day off', recurring: true }]));

describe('deadline', () => {
  it.each([
    // [case, calendar, start (UTC), business minutes, expected (UTC)]
    ['inside hours, same morning', paris, '2026-03-02T08:00:00Z', 60, '2026-03-02T09:00:00Z'],
    ['across the lunch break', paris, '2026-03-02T10:30:00Z', 60, '2026-03-02T12:30:00Z'],
    ['ends exactly at closing', paris, '2026-03-02T08:00:00Z', 420, '2026-03-02T16:00:00Z'],
    ['start before opening begins at opening', paris, '2026-03-02T05:00:00Z', 30, '2026-03-02T08:30:00Z'],
    ['start after closing begins next morning', paris, '2026-03-02T18:00:00Z', 30, '2026-03-03T08:30:00Z'],
    ['start during lunch begins at 13:00', paris, '2026-03-02T11:15:00Z', 15, '2026-03-02T12:15:00Z'],
    ['Friday afternoon into Monday (weekend)', paris, '2026-03-06T15:00:00Z', 120, '2026-03-09T09:00:00Z'],
    ['start on Saturday', paris, '2026-03-07T10:00:00Z', 60, '2026-03-09T09:00:00Z'],
    ['recurring holiday (1 May, a Friday) skipped', paris, '2026-04-30T15:00:00Z', 120, '2026-05-04T09:00:00Z'],
    ['recurring holiday the next year too', paris, '2027-05-01T08:00:00Z', 60, '2027-05-03T08:00:00Z'],
    ['one-off holiday (Ascension 2026)', paris, '2026-05-13T15:00:00Z', 60, '2026-05-15T08:00:00Z'],
    ['start on a holiday', paris, '2026-12-25T09:00:00Z', 60, '2026-12-28T09:00:00Z'],
    ['Paris DST start weekend: Friday closing (UTC+1) to Monday (UTC+2)', paris, '2026-03-27T16:00:00Z', 60, '2026-03-30T08:00:00Z'],
    ['Paris DST end weekend: Friday closing (UTC+2) to Monday (UTC+1)', paris, '2026-10-23T15:00:00Z', 60, '2026-10-26T09:00:00Z'],
    ['three weeks of business time', paris, '2026-03-02T08:00:00Z', 15 * 420, '2026-03-20T16:00:00Z'],
    ['Montreal DST start (8 March 2026)', montreal, '2026-03-06T23:00:00Z', 60, '2026-03-09T13:00:00Z'],
    ['Montreal DST end (1 November 2026)', montreal, '2026-10-30T21:00:00Z', 120, '2026-11-02T14:00:00Z'],
    ['Montreal holiday (1 July)', montreal, '2026-06-30T21:00:00Z', 120, '2026-07-02T13:00:00Z'],
    ['24/7 across the spring-forward night is real time', allDay, '2026-03-29T00:00:00Z', 180, '2026-03-29T03:00:00Z'],
    ['24/7 across the fall-back night is real time', allDay, '2026-10-25T00:00:00Z', 180, '2026-10-25T03:00:00Z'],
    ['24/7 over the 2028 leap day', allDay, '2028-02-28T12:00:00Z', 2 * 1440, '2028-03-01T12:00:00Z'],
    ['01:00–04:00 loses the skipped hour on spring-forward night', nightShift, '2026-03-29T00:00:00Z', 150, '2026-03-29T23:30:00Z'],
    ['01:00–04:00 gains the repeated hour on fall-back night', nightShift, '2026-10-24T23:00:00Z', 240, '2026-10-25T03:00:00Z'],
    ['02:30–05:00 opens at the change (03:00 CEST) on spring-forward night', parisOpensInGap, '2026-03-29T00:00:00Z', 30, '2026-03-29T01:30:00Z'],
    ['00:30–02:30 closes at the change on spring-forward night (90 min)', parisClosesInGap, '2026-03-28T23:30:00Z', 100, '2026-03-29T22:40:00Z'],
    ['01:30–03:00 opens at the first 01:30 on fall-back night (150 min)', montrealOpensInRepeat, '2026-11-01T05:30:00Z', 120, '2026-11-01T07:30:00Z'],
    ['02:15–02:45 does not exist on spring-forward day', montrealWhollyInGap, '2026-03-07T07:30:00Z', 30, '2026-03-09T06:30:00Z'],
    ['over the 2028 leap day (a Tuesday)', paris, '2028-02-28T08:00:00Z', 2 * 420 + 1, '2028-03-01T08:01:00Z'],
    ['recurring 29 February off in 2028', parisLeapHoliday, '2028-02-28T08:00:00Z', 421, '2028-03-01T08:01:00Z'],
    ['recurring 29 February does nothing in 2029', parisLeapHoliday, '2029-02-28T08:00:00Z', 421, '2029-03-01T08:01:00Z'],
    ['four weeks over 1 May and Ascension', paris, '2026-04-20T07:00:00Z', 20 * 420, '2026-05-19T15:00:00Z'],
    ['six weeks of 24/7 over the spring-forward night', allDay, '2026-03-01T12:00:00Z', 42 * 1440, '2026-04-12T12:00:00Z'],
    ['Montreal, one month from a Sunday', montreal, '2026-02-01T15:00:00Z', 20 * 600, '2026-02-27T23:00:00Z'],
    ['zero minutes outside hours is the next opening', paris, '2026-03-07T10:00:00Z', 0, '2026-03-09T08:00:00Z'],
    ['zero minutes inside hours is the start', paris, '2026-03-02T09:17:00Z', 0, '2026-03-02T09:17:00Z'],
  ] as const)('%s', (_case, cal, start, minutes, expected) => {
    expect(cal.deadline(new Date(start), minutes).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('is also a function of the calendar value, compiled once per calendar object', () => {
    const spec = office('Europe/Paris');
    expect(deadline(spec, new Date('2026-03-06T15:00:00Z'), 120).toISOString()).toBe('2026-03-09T09:00:00.000Z');
    expect(businessMinutes(spec, new Date('2026-03-06T15:00:00Z'), new Date('2026-03-09T09:00:00Z'))).toBe(120);
    expect(compileCalendar(spec)).toBe(compileCalendar(spec));
  });

  it('moves its window to far instants and back, and refuses more than 30 years without harm', () => {
    const weekly = new CompiledCalendar({ timezone: 'UTC', hours: [{ day: 1, start: '09:00', end: '10:00' }], holidays: [] }, new Date('2026-06-01T00:00:00Z'));
    expect(weekly.deadline(new Date('1990-01-01T00:00:00Z'), 60).toISOString()).toBe('1990-01-01T10:00:00.000Z');
    expect(weekly.deadline(new Date('2060-01-05T09:30:00Z'), 60).toISOString()).toBe('2060-01-12T09:30:00.000Z');
    expect(() => weekly.deadline(new Date('2026-06-01T00:00:00Z'), 60 * 52 * 40)).toThrow(RangeError);
    expect(() => weekly.businessMinutes(new Date('1990-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'))).toThrow(RangeError);
    expect(weekly.businessMinutes(new Date('1990-01-01T00:00:00Z'), new Date('1990-01-08T00:00:00Z'))).toBe(60);
    expect(weekly.deadline(new Date('2026-06-01T00:00:00Z'), 60).toISOString()).toBe('2026-06-01T10:00:00.000Z');
  });

  it('computes a start long before the compiled window', () => {
    const cal = new CompiledCalendar(office('Europe/Paris'), new Date('2026-06-01T00:00:00Z'));
    expect(cal.deadline(new Date('2020-01-06T08:00:00Z'), 60).toISOString()).toBe('2020-01-06T09:00:00.000Z');
  });
});

describe('businessMinutes', () => {
  it.each([
    ['a morning hour', '2026-03-02T08:00:00Z', '2026-03-02T09:00:00Z', 60],
    ['over lunch', '2026-03-02T10:00:00Z', '2026-03-02T13:00:00Z', 120],
    ['a whole weekend', '2026-03-06T17:00:00Z', '2026-03-09T07:00:00Z', 0],
    ['a full week', '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z', 5 * 420],
    ['backwards is zero', '2026-03-02T10:00:00Z', '2026-03-02T09:00:00Z', 0],
    ['the 1 May week has four days', '2026-04-27T00:00:00Z', '2026-05-04T00:00:00Z', 4 * 420],
    ['Paris DST start week (clock change on Sunday)', '2026-03-23T00:00:00Z', '2026-03-30T00:00:00Z', 5 * 420],
    ['Paris DST end week (clock change on Sunday)', '2026-10-19T00:00:00Z', '2026-10-26T00:00:00Z', 5 * 420],
  ])('%s', (_case, from, to, minutes) => {
    expect(paris.businessMinutes(new Date(from), new Date(to))).toBe(minutes);
  });

  it.each([
    // [case, calendar, from, to, business minutes]
    ['24/7 spring-forward day has 23 hours', allDay, '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', 23 * 60],
    ['24/7 fall-back day has 25 hours', allDay, '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', 25 * 60],
    ['opening in the skipped hour: 03:00–05:00 CEST', parisOpensInGap, '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z', 120],
    ['closing in the skipped hour: 00:30–02:00 CET', parisClosesInGap, '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z', 90],
    ['a normal night of the same calendar', parisClosesInGap, '2026-03-27T12:00:00Z', '2026-03-28T12:00:00Z', 120],
    ['opening in the repeated hour: first 01:30 to 03:00 EST', montrealOpensInRepeat, '2026-10-31T12:00:00Z', '2026-11-01T12:00:00Z', 150],
    ['an interval wholly in the skipped hour', montrealWhollyInGap, '2026-03-08T05:00:00Z', '2026-03-09T05:00:00Z', 0],
    ['Montreal office over DST start', montreal, '2026-03-06T05:00:00Z', '2026-03-10T05:00:00Z', 2 * 600],
    ['Montreal office over DST end', montreal, '2026-10-30T04:00:00Z', '2026-11-03T05:00:00Z', 2 * 600],
    ['seconds count as fractions', paris, '2026-03-02T08:00:00Z', '2026-03-02T08:00:30Z', 0.5],
  ] as const)('%s', (_case, cal, from, to, minutes) => {
    expect(cal.businessMinutes(new Date(from), new Date(to))).toBe(minutes);
  });
});

describe.each([
  ['Paris office (lunch, holidays)', paris],
  ['Montreal office', montreal],
  ['Paris nights through the skipped hour', parisOpensInGap],
  ['Montreal nights through the repeated hour', montrealOpensInRepeat],
] as const)('properties on %s', (_name, cal) => {
  // Starts inside working hours, 2026–2028, as whole minutes.
  const insideHours = fc
    .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 11, 31) })
    .map((ms) => cal.deadline(new Date(Math.floor(ms / 60_000) * 60_000), 0))
    .filter((d) => cal.deadline(d, 1).getTime() - d.getTime() === 60_000);
  const minutes = fc.integer({ min: 0, max: 31 * 1440 });

  it('businessMinutes(start, deadline(start, m)) = m', () => {
    fc.assert(fc.property(insideHours, minutes, (start, m) => cal.businessMinutes(start, cal.deadline(start, m)) === m), { numRuns: 300 });
  });

  it('deadline(start, a + b) = deadline(deadline(start, a), b)', () => {
    fc.assert(
      fc.property(insideHours, minutes, minutes, (start, a, b) => {
        const direct = cal.deadline(start, a + b).getTime();
        const stepwise = cal.deadline(cal.deadline(start, a), b).getTime();
        // At a closing instant the stepwise path may wait for the next opening; both mean the same business instant.
        return direct === stepwise || cal.businessMinutes(new Date(Math.min(direct, stepwise)), new Date(Math.max(direct, stepwise))) === 0;
      }),
      { numRuns: 300 },
    );
  });

  it('businessMinutes is additive', () => {
    const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }).map((ms) => new Date(ms));
    fc.assert(
      fc.property(instant, instant, instant, (x, y, z) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p.getTime() - q.getTime()) as [Date, Date, Date];
        return Math.abs(cal.businessMinutes(a, c) - (cal.businessMinutes(a, b) + cal.businessMinutes(b, c))) < 1e-9;
      }),
      { numRuns: 300 },
    );
  });
});

describe('validateCalendar', () => {
  it('accepts a good calendar', () => {
    expect(validateCalendar(office('Europe/Paris'))).toEqual([]);
  });

  it.each([
    ['unknown zone', { timezone: 'Mars/Olympus', hours: [{ day: 1, start: '09:00', end: '17:00' }], holidays: [] }, ['timezone']],
    ['end before start', { timezone: 'UTC', hours: [{ day: 1, start: '17:00', end: '09:00' }], holidays: [] }, ['hours.0.end']],
    ['bad time', { timezone: 'UTC', hours: [{ day: 1, start: '9h', end: '25:00' }], holidays: [] }, ['hours.0.start', 'hours.0.end']],
    ['bad day', { timezone: 'UTC', hours: [{ day: 8, start: '09:00', end: '10:00' }], holidays: [] }, ['hours.0.day']],
    ['overlap', { timezone: 'UTC', hours: [{ day: 1, start: '09:00', end: '12:00' }, { day: 1, start: '11:00', end: '13:00' }], holidays: [] }, ['hours.1']],
    ['no hours', { timezone: 'UTC', hours: [], holidays: [] }, ['hours']],
    ['fixed offset instead of a zone', { timezone: 'UTC+3', hours: [{ day: 1, start: '09:00', end: '17:00' }], holidays: [] }, ['timezone']],
    ['bad holiday date', { timezone: 'UTC', hours: [{ day: 1, start: '09:00', end: '10:00' }], holidays: [{ date: '2026-02-30', recurring: false }] }, ['holidays.0.date']],
  ] as const)('refuses %s', (_case, spec, paths) => {
    expect(validateCalendar(spec as unknown as CalendarSpec).map((e) => e.path)).toEqual(paths);
  });

  it('allows 24:00 and touching intervals', () => {
    expect(validateCalendar({ timezone: 'UTC', hours: [{ day: 1, start: '00:00', end: '12:00' }, { day: 1, start: '12:00', end: '24:00' }], holidays: [] })).toEqual([]);
  });
});

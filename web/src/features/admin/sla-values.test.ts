import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, OFFICE_HOURS, overlappedRow, shortDuration, splitMinutes, summarizeHours } from './sla-values.ts';

const short = (d: number) => ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][d]!;

describe('weekly hours summary', () => {
  it.each([
    ['office hours with lunch', OFFICE_HOURS, 'Mon–Fri 09:00–12:00, 13:00–17:00'],
    ['24/7', ALWAYS_OPEN, 'Mon–Sun 00:00–24:00'],
    ['nothing', [], ''],
    [
      'a short Saturday, two days apart',
      [
        { day: 6, start: '09:00', end: '12:00' },
        { day: 1, start: '08:00', end: '18:00' },
        { day: 3, start: '08:00', end: '18:00' },
      ],
      'Mon, Wed 08:00–18:00 · Sat 09:00–12:00',
    ],
    [
      'intervals entered out of order',
      [
        { day: 2, start: '14:00', end: '18:00' },
        { day: 2, start: '08:00', end: '12:00' },
      ],
      'Tue 08:00–12:00, 14:00–18:00',
    ],
  ])('%s', (_, hours, expected) => {
    expect(summarizeHours(hours, short)).toBe(expected);
  });
});

describe('durations', () => {
  it.each([
    [0, { hours: 0, minutes: 0 }, '0 min'],
    [15, { hours: 0, minutes: 15 }, '15 min'],
    [240, { hours: 4, minutes: 0 }, '4 h'],
    [90, { hours: 1, minutes: 30 }, '1 h 30'],
    [4805, { hours: 80, minutes: 5 }, '80 h 05'],
  ])('%i minutes', (total, split, text) => {
    expect(splitMinutes(total)).toEqual(split);
    expect(shortDuration(total, { h: 'h', min: 'min' })).toBe(text);
  });
});

describe('API overlap errors', () => {
  it('point to the other row', () => {
    expect(overlappedRow('Overlaps hours.3 on the same day')).toBe(3);
    expect(overlappedRow('Must be after the start')).toBeNull();
  });
});

// Deadline computations per second on a Paris office calendar (lunch break, holidays), random starts
// over two years (inside and outside hours) and targets of 1 minute to 31 working days (13,020 business
// minutes, more than a month). Also: business-minute counts per second and the cost of compiling a calendar.
// Run: node --import tsx bench/business-time.ts
import os from 'node:os';
import { type CalendarSpec, CompiledCalendar } from '../server/src/sla/business-time.ts';

const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const spec: CalendarSpec = {
  timezone: 'Europe/Paris',
  hours: [...weekdays('09:00', '12:00'), ...weekdays('13:00', '17:00')],
  holidays: [
    { date: '2026-01-01', name: 'Jour de l’an', recurring: true },
    { date: '2026-04-06', name: 'Lundi de Pâques', recurring: false },
    { date: '2026-05-01', name: 'Fête du travail', recurring: true },
    { date: '2026-05-08', name: 'Victoire 1945', recurring: true },
    { date: '2026-07-14', name: 'Fête nationale', recurring: true },
    { date: '2026-08-15', name: 'Assomption', recurring: true },
    { date: '2026-11-01', name: 'Toussaint', recurring: true },
    { date: '2026-11-11', name: 'Armistice', recurring: true },
    { date: '2026-12-25', name: 'Noël', recurring: true },
  ],
};
const cal = new CompiledCalendar(spec);

export function benchDeadlines(count = 2_000_000) {
  // Inputs drawn up front (deterministic LCG) so that only the computation is timed.
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const from = Date.UTC(2026, 0, 1);
  const span = 2 * 365 * 86_400_000;
  const starts = Array.from({ length: 4096 }, () => new Date(from + Math.floor(rand() * span)));
  const minutes = Array.from({ length: 4096 }, () => 1 + Math.floor(rand() * 31 * 420));
  for (let i = 0; i < 50_000; i++) cal.deadline(starts[i & 4095]!, minutes[i & 4095]!); // warm-up and window
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) sink += cal.deadline(starts[i & 4095]!, minutes[(i * 7) & 4095]!).getTime() & 1;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { count, seconds, perSecond: count / seconds, sink };
}

/** Business minutes between random instants up to a month apart. */
export function benchBusinessMinutes(count = 2_000_000) {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const from = Date.UTC(2026, 0, 1);
  const span = 2 * 365 * 86_400_000;
  const pairs = Array.from({ length: 4096 }, () => {
    const a = from + Math.floor(rand() * span);
    return [new Date(a), new Date(a + Math.floor(rand() * 31 * 86_400_000))] as const;
  });
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) sink += cal.businessMinutes(pairs[i & 4095]![0], pairs[i & 4095]![1]);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { count, seconds, perSecond: count / seconds, sink };
}

/** A calendar compiled from scratch (about 14 months of days) and its first deadline, in milliseconds. */
export function benchCold(rounds = 50) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) new CompiledCalendar(spec).deadline(new Date(), 240);
  return Number(process.hrtime.bigint() - t0) / 1e6 / rounds;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = benchDeadlines();
  const b = benchBusinessMinutes();
  const cold = benchCold();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const rate = (x: { perSecond: number; count: number; seconds: number }) =>
    `${Math.round(x.perSecond).toLocaleString('en')}/s (${x.count.toLocaleString('en')} in ${x.seconds.toFixed(2)} s)`;
  process.stdout.write(
    `Paris calendar with lunch break and holidays, on ${cpu}, ${os.cpus().length} cores, Node ${process.version}\n` +
      `  deadline computations (targets up to 31 working days): ${rate(r)}\n` +
      `  business-minute counts (up to a month apart):           ${rate(b)}\n` +
      `  compiling the calendar and its first deadline:          ${cold.toFixed(1)} ms\n`,
  );
}

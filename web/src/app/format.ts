import { i18n } from './i18n.ts';

/** Date and time in the user's time zone and language. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return formatter('dt', () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })).format(new Date(iso));
}

/** "3 hours ago" / « il y a 3 heures ». */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = formatter('rel', () => new Intl.RelativeTimeFormat(i18n.language, { numeric: 'auto' }));
  const units: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(seconds, 'second');
}

/** Compact age for tables: 5 min, 3 h, 2 j / 2 d. */
export function formatAge(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 60_000));
  const fmt = (value: number, unit: 'minute' | 'hour' | 'day') =>
    formatter(`age-${unit}`, () => new Intl.NumberFormat(i18n.language, { style: 'unit', unit, unitDisplay: 'narrow' })).format(value);
  if (minutes < 60) return fmt(minutes, 'minute');
  if (minutes < 48 * 60) return fmt(Math.floor(minutes / 60), 'hour');
  return fmt(Math.floor(minutes / 1440), 'day');
}

export function formatNumber(n: number): string {
  return formatter('num', () => new Intl.NumberFormat(i18n.language)).format(n);
}

// Building an Intl formatter costs far more than using one (a 200-entry timeline spent most of its render
// time, and its garbage, there): keep one per kind and language.
const formatters = new Map<string, unknown>();

function formatter<T>(kind: string, create: () => T): T {
  const key = `${kind}|${i18n.language}`;
  let f = formatters.get(key) as T | undefined;
  if (f === undefined) {
    f = create();
    formatters.set(key, f);
  }
  return f;
}

/** A duration for countdowns: "2 h 05 min", "3 d 4 h", "45 s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const unit = (value: number, u: 'day' | 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(i18n.language, { style: 'unit', unit: u, unitDisplay: 'narrow' }).format(value);
  if (s < 60) return unit(s, 'second');
  const m = Math.floor(s / 60);
  if (m < 60) return unit(m, 'minute');
  const h = Math.floor(m / 60);
  if (h < 48) return `${unit(h, 'hour')} ${unit(m % 60, 'minute')}`;
  return `${unit(Math.floor(h / 24), 'day')} ${unit(h % 24, 'hour')}`;
}

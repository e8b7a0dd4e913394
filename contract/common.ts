import { z } from 'zod';

/** The largest identifier: ids are 32-bit integers on PostgreSQL, so a larger one cannot exist. */
export const MAX_ID = 2_147_483_647;

/** Identifiers are positive integers; references such as `I-000123` are accepted where documented. */
export const Id = z.coerce.number().int().positive().max(MAX_ID);
export const IdParams = z.object({ id: Id });

export const Locale = z.enum(['fr', 'en']);
export type Locale = z.infer<typeof Locale>;

export const Timestamp = z.string().describe('ISO 8601 UTC timestamp');

/** Instants both databases store alike, whose ISO form keeps a four-digit year (PostgreSQL has no year 0). */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * A timestamp given to the API (filters, bodies): ISO 8601 with `Z` or an offset, a real calendar date (no
 * 30 February: its date must read back unchanged), between 1970 and 9999 once in UTC.
 */
export const TimestampInput = z.iso
  .datetime({ offset: true })
  .refine((v) => isRealDate(v.slice(0, 10)) && isStorable(Date.parse(v)), { message: 'Expected a real date between 1970 and 9999' })
  .describe('ISO 8601 timestamp with `Z` or an offset, between 1970 and 9999');

/**
 * A timestamp exactly as this server writes it (`toISOString()`, UTC, in range): the form of the dates in cursors.
 * @example isCanonicalTimestamp('2026-03-02T08:00:00.000Z') // true; '2026-02-30T00:00:00.000Z' → false
 */
export function isCanonicalTimestamp(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const ms = Date.parse(v);
  return isStorable(ms) && new Date(ms).toISOString() === v;
}

function isStorable(ms: number): boolean {
  return ms >= EARLIEST && ms <= LATEST;
}

/** `YYYY-MM-DD` names a day of the calendar (Date.UTC would roll 2026-02-30 over to 2 March). */
function isRealDate(ymd: string): boolean {
  const ms = Date.parse(`${ymd}T00:00:00.000Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === ymd;
}

/** `?limit=` (default 50, max 200) and an opaque `?cursor=`. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** `application/problem+json` (RFC 9457). */
export const Problem = z.object({
  type: z.string(),
  status: z.number().int(),
  title: z.string(),
  detail: z.string().optional(),
  code: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** Query-string booleans: `true`/`false`/`1`/`0`. */
export const QueryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

import { z } from 'zod';

/** The largest identifier: ids are 32-bit integers on PostgreSQL, so a larger one cannot exist. */
export const MAX_ID = 2_147_483_647;

/** Identifiers are positive integers; references such as `I-000123` are accepted where documented. */
export const Id = z.coerce.number().int().positive().max(MAX_ID);
export const IdParams = z.object({ id: Id });

export const Locale = z.enum(['fr', 'en']);
export type Locale = z.infer<typeof Locale>;

export const Timestamp = z.string().describe('ISO 8601 UTC timestamp');

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

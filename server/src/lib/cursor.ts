import { MAX_ID } from '../../../contract/common.ts';
import { AppError } from '../http/errors.ts';

/** Opaque keyset cursor: the sort value and id of the last row of a page. */
export function encodeCursor(value: string | number, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

/**
 * The sort value and id of a cursor, or a 400 for anything this server did not write: not base64url JSON, or a
 * number outside the 32-bit integer columns it is compared with (PostgreSQL would fail the query). A list whose
 * sort value is a date checks it with `isCanonicalTimestamp` (contract/common.ts).
 */
export function decodeCursor(cursor: string): [string | number, number] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && isKey(parsed[0]) && isId(parsed[1])) return parsed as [string | number, number];
  } catch {
    // fall through to the validation error
  }
  throw invalidCursor('Invalid cursor: use the nextCursor of a previous page');
}

/** 400: a cursor is part of the query string, like `limit`. */
export function invalidCursor(message: string): AppError {
  return new AppError('validation', 400, 'Invalid query', [{ path: 'cursor', message }]);
}

/** Splits `limit + 1` fetched rows into a page and the cursor of the next one. */
export function toPage<R, T>(rows: R[], limit: number, map: (row: R) => T, key: (row: R) => [string | number, number]) {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor: more && last ? encodeCursor(...key(last)) : null,
  };
}

/** A row id: a positive 32-bit integer, like `Id` of the contract (ids start at 1). */
function isId(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_ID;
}

/** A sort value: a bounded string (dates) or a 32-bit integer (ids, priorities). */
function isKey(v: unknown): v is string | number {
  return (typeof v === 'string' && v.length <= 100) || (Number.isInteger(v) && Math.abs(v as number) <= MAX_ID);
}

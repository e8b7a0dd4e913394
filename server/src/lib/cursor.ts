import { AppError } from '../http/errors.ts';

/** Opaque keyset cursor: the sort value and id of the last row of a page. */
export function encodeCursor(value: string | number, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [string | number, number] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && ['string', 'number'].includes(typeof parsed[0]) && Number.isInteger(parsed[1])) {
      return parsed as [string | number, number];
    }
  } catch {
    // fall through to the validation error
  }
  throw AppError.validation([{ path: 'cursor', message: 'Invalid cursor' }]);
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

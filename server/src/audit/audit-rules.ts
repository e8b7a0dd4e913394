/**
 * Pure rules of the audit log: which changes an event describes, with every secret masked, and how a
 * line is written to CSV without becoming a formula in a spreadsheet.
 */

export const MASK = '***';

// Names of fields that hold secrets or what proves them (hashes, seeds, recovery codes, tokens).
const SECRET_FIELD = /pass(word|phrase)|secret|hash|seed|salt|private|recovery|credential|totp|apikey|token$/i;
// Values that look like secrets whatever their field: argon2 hashes, Vigie tokens, sealed values, SHA-256 hex.
const SECRET_VALUE = [/^\$argon2/, /^\$2[aby]\$/, /^vigie_[A-Za-z0-9_-]{20,}$/, /^v1\.[A-Za-z0-9_-]{30,}$/, /^[0-9a-f]{64}$/i];
// Shown elsewhere in the entry (the target), or noise.
const CREATED_SKIP = new Set(['id', 'createdAt', 'updatedAt']);

/**
 * The field changes an event describes, secrets masked: its `changes` (updates, `from` → `to`), or else
 * the fields its payload states (a creation, `user.sessions_revoked {count}`…), which have no `from`.
 * @example changesOf({ changes: [{ field: 'password', from: 'a', to: 'b' }] }) // [{ field: 'password', from: '***', to: '***' }]
 */
export function changesOf(payload: unknown): AuditChange[] {
  if (!isRecord(payload)) return [];
  if (Array.isArray(payload.changes)) {
    return payload.changes.filter(isRecord).map((c) => {
      const field = String(c.field);
      const [from, to] = [c.from ?? null, c.to ?? null];
      return SECRET_FIELD.test(field) ? { field, from: maskPresent(from), to: maskPresent(to) } : { field, from: redact(from), to: redact(to) };
    });
  }
  return Object.entries(payload)
    .filter(([field]) => !CREATED_SKIP.has(field))
    .map(([field, to]) => ({ field, to: SECRET_FIELD.test(field) ? maskPresent(to ?? null) : redact(to ?? null) }));
}

/** A copy of `value` where secret-looking fields and values are replaced by `***`. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return SECRET_VALUE.some((re) => re.test(value)) ? MASK : value;
  if (Array.isArray(value)) return value.map(redact);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) ? maskPresent(v) : redact(v)]));
  return value;
}

/** The label of a record as its creation event tells it (for records whose table the audit log does not know). */
export function labelFromPayload(payload: unknown): string | null {
  if (!isRecord(payload)) return null;
  for (const key of ['name', 'email', 'label', 'title']) {
    if (typeof payload[key] === 'string' && payload[key]) return payload[key];
  }
  return null;
}

/**
 * One CSV cell: quoted when needed, and prefixed with `'` when a spreadsheet would read it as a formula
 * (OWASP "CSV injection": = + - @, tab and carriage return).
 * @example csvCell('=1+1') // "'=1+1"
 */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function csvRow(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A change in words for the CSV: `name: "Gold" → "Platinum"`. */
export function changeText(c: AuditChange): string {
  return 'from' in c ? `${c.field}: ${valueText(c.from)} → ${valueText(c.to)}` : `${c.field}: ${valueText(c.to)}`;
}

function valueText(v: unknown): string {
  return v === null || v === undefined ? '∅' : JSON.stringify(v);
}

function maskPresent(v: unknown): unknown {
  return v === null || v === undefined ? null : MASK;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A field's change (`from` → `to`), or a value an event states (no `from`). */
export interface AuditChange {
  field: string;
  from?: unknown;
  to: unknown;
}

/**
 * Pure helpers of the audit log screen: a change in words (field names and values translated where
 * the admin screens already have labels) and the date filters as instants. No React, no I/O.
 */

/** As the API gives it: no `from` when the event states a value rather than a change. */
export interface Change {
  field: string;
  from?: unknown;
  to?: unknown;
}

export interface Words {
  /** The translation of a key, or null when there is none. */
  text(key: string): string | null;
  /** An organization's name, for organization ids in values. */
  organization(id: number): string | null;
  yes: string;
  no: string;
  none: string;
  /** What a masked secret says: "changed". */
  secret: string;
  /** "Name: Gold → Platinum" in the language's typography. */
  changed(field: string, from: string, to: string): string;
  /** "Name: Office" (a value set at creation). */
  set(field: string, value: string): string;
  /** Words for values the screen knows better (SLA targets, working hours, team members), or null. */
  special(field: string, value: unknown): string | null;
}

/** The admin screen whose labels name each kind of record's fields. */
const SECTION: Record<string, string> = { organization: 'organizations', user: 'users', team: 'teams', calendar: 'calendars', sla_policy: 'sla' };
/** API field → label key where they differ. */
const ALIAS: Record<string, string> = { orgId: 'organization', serviceId: 'service', calendarId: 'calendar', memberIds: 'members', maturityLevel: 'maturity' };
/** Labels for fields of records without a screen of their own (services, identity providers…). */
const SHARED: Record<string, string> = {
  active: 'admin.status.label',
  locale: 'admin.locale.label',
  name: 'admin.teams.name',
  description: 'admin.teams.description',
  email: 'admin.users.email',
  orgId: 'field.orgId',
  isProvider: 'admin.organizations.provider',
  personId: 'audit.fields.personId',
  priorityMatrix: 'audit.fields.priorityMatrix',
};
/** Fields whose values have words: key prefix of each value. */
const VALUE_KEYS: Record<string, (v: string) => string> = {
  role: (v) => `admin.role.${v}`,
  locale: (v) => `admin.locale.${v}`,
  portalScope: (v) => `admin.portalScope.${v}`,
  maturityLevel: (v) => `admin.maturity.${v}.name`,
  slaEnabled: (v) => `admin.organizations.sla.${v === 'true' ? 'on' : v === 'false' ? 'off' : 'auto'}`,
};
const ORGANIZATION_FIELDS = new Set(['orgId', 'orgScope']);
const SECRET = '***';
const MAX_VALUE = 120;

/** "Name", "Organizations served"…; the API's name where the web has no label. */
export function fieldLabel(targetType: string, field: string, words: Words): string {
  const section = SECTION[targetType];
  const own = section ? words.text(`admin.${section}.${ALIAS[field] ?? field}`) : null;
  return own ?? (SHARED[field] ? words.text(SHARED[field]) : null) ?? field;
}

/** A value in words: yes/no, none, role and language names, organization names, else the value. */
export function valueInWords(field: string, value: unknown, words: Words): string {
  // null means "follow the maturity level" here, not "none".
  if (field === 'slaEnabled') return words.text(VALUE_KEYS.slaEnabled!(String(value))) ?? String(value);
  const special = value === null || value === undefined ? null : words.special(field, value);
  if (special !== null) return special;
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return words.none;
  if (value === SECRET) return words.secret;
  if (field === 'active' && typeof value === 'boolean') return words.text(`admin.status.${value ? 'active' : 'inactive'}`) ?? String(value);
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (ORGANIZATION_FIELDS.has(field) && (typeof value === 'number' || Array.isArray(value))) {
    return (Array.isArray(value) ? value : [value]).map((id) => (typeof id === 'number' ? (words.organization(id) ?? `#${id}`) : String(id))).join(', ');
  }
  if ((typeof value === 'string' || typeof value === 'number') && VALUE_KEYS[field]) return words.text(VALUE_KEYS[field](String(value))) ?? String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ');
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * "Name: Gold → Platinum"; a value an event states (a creation's fields; no `from`): "Name: Office";
 * a secret: "Password: changed".
 */
export function changeInWords(change: Change, targetType: string, words: Words): string {
  const label = fieldLabel(targetType, change.field, words);
  if (change.to === SECRET || change.from === SECRET) return words.set(label, words.secret);
  const to = valueInWords(change.field, change.to, words);
  if (!('from' in change)) return words.set(label, to);
  return words.changed(label, valueInWords(change.field, change.from, words), to);
}

/**
 * What to list for an event: its changes, without the empty fields a record was created with (a new user's
 * "Organization: none" says nothing).
 */
export function shownChanges<C extends Change>(changes: C[]): C[] {
  const empty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  return changes.filter((c) => !(empty(c.from) && empty(c.to)));
}

/**
 * The instants of a date filter, read in the user's time zone: from the start of `from` to the end of
 * `to` (both `YYYY-MM-DD`, either may be empty).
 */
export function dayRange(from: string, to: string): { from?: string; to?: string } {
  const start = (day: string) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d);
  };
  const valid = (day: string) => /^\d{4}-\d{2}-\d{2}$/.test(day);
  const range: { from?: string; to?: string } = {};
  if (valid(from)) range.from = start(from).toISOString();
  if (valid(to)) {
    const end = start(to);
    end.setDate(end.getDate() + 1);
    range.to = end.toISOString();
  }
  return range;
}

import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { labelFromPayload } from './audit-rules.ts';

export interface AuditFilters {
  /** The aggregate types to read (the configuration allowlist, or one of it). */
  aggregateTypes: readonly string[];
  actorId?: number;
  aggregateId?: number;
  type?: string;
  /** ISO instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  q?: string;
  /** Keyset: events older than this id. */
  beforeId?: number;
  limit: number;
}

export type AuditRow = Awaited<ReturnType<typeof listAuditEvents>>[number];

/** Tables whose current name labels an audited record; other types are labelled from their creation event. */
const LABELS = {
  organization: { table: 'organizations', column: 'name' },
  user: { table: 'users', column: 'email' },
  team: { table: 'teams', column: 'name' },
  service: { table: 'services', column: 'name' },
  calendar: { table: 'calendars', column: 'name' },
  sla_policy: { table: 'sla_policies', column: 'name' },
} as const;

/** Events of the given filters with their actor, newest first. */
export async function listAuditEvents(db: Executor, f: AuditFilters) {
  let q = db
    .selectFrom('events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.type', 'e.aggregate_type', 'e.aggregate_id', 'e.actor_id', 'e.payload', 'e.created_at', 'e.actor_ip', 'e.request_id', 'u.name as actor_name', 'u.email as actor_email'])
    .where('e.aggregate_type', 'in', [...f.aggregateTypes]);
  if (f.actorId !== undefined) q = q.where('e.actor_id', '=', f.actorId);
  if (f.aggregateId !== undefined) q = q.where('e.aggregate_id', '=', f.aggregateId);
  if (f.type !== undefined) q = q.where('e.type', '=', f.type);
  if (f.from !== undefined) q = q.where('e.created_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('e.created_at', '<', f.to);
  if (f.beforeId !== undefined) q = q.where('e.id', '<', f.beforeId);
  if (f.q !== undefined) {
    // Over the payload text (field names and values) and the actor: configuration events are few enough.
    // lower() folds ASCII on SQLite; the untouched pattern still finds accented text written the same way.
    const lowered = `%${escapeLike(f.q.toLowerCase())}%`;
    const exact = `%${escapeLike(f.q)}%`;
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`lower(e.payload) like ${lowered} escape '\\'`,
        sql<boolean>`e.payload like ${exact} escape '\\'`,
        sql<boolean>`lower(u.name) like ${lowered} escape '\\'`,
        sql<boolean>`lower(u.email) like ${lowered} escape '\\'`,
      ]),
    );
  }
  return q.orderBy('e.id', 'desc').limit(f.limit).execute();
}

/**
 * Labels of audited records, keyed `type:id`: the current name (or e-mail) where the table is known here,
 * else the name the record was created with (identity providers, mailboxes, integrations).
 */
export async function labelsOf(db: Executor, targets: { type: string; id: number }[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const byType = new Map<string, number[]>();
  for (const t of targets) byType.set(t.type, [...new Set([...(byType.get(t.type) ?? []), t.id])]);
  for (const [type, ids] of byType) {
    const source = LABELS[type as keyof typeof LABELS];
    if (!source) {
      for (const r of await creationPayloads(db, type, ids)) {
        const label = labelFromPayload(safeJson(r.payload));
        if (label) labels.set(`${type}:${r.aggregate_id}`, label);
      }
      continue;
    }
    const rows = await db
      .selectFrom(source.table)
      .select(['id', sql<string>`${sql.ref(source.column)}`.as('label')])
      .where('id', 'in', ids)
      .execute();
    for (const r of rows) labels.set(`${type}:${r.id}`, r.label);
  }
  return labels;
}

async function creationPayloads(db: Executor, type: string, ids: number[]) {
  return db
    .selectFrom('events')
    .select(['aggregate_id', 'payload'])
    .where('aggregate_type', '=', type)
    .where('aggregate_id', 'in', ids)
    .where('type', '=', `${type}.created`)
    .execute();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

import { CompiledQuery, type Insertable, type Selectable, type SelectQueryBuilder, sql, type Updateable } from 'kysely';
import { MAX_ID } from '../../../contract/common.ts';
import type { IncidentListQuery, IncidentSort } from '../../../contract/incidents.ts';
import type { DB, Executor, IncidentTable, Trx } from '../db/database.ts';
import { isPostgres } from '../db/dialect.ts';
import { foldText, searchTerms } from '../lib/text.ts';
import { type Actor, visibleIncidents } from '../tenancy/scope.ts';
import { OPEN_STATUSES } from './incident-lifecycle.ts';

const COLUMNS = [
  'incidents.id', 'incidents.org_id', 'incidents.caller_id', 'incidents.title', 'incidents.description', 'incidents.channel',
  'incidents.status', 'incidents.pending_reason', 'incidents.impact', 'incidents.urgency', 'incidents.priority',
  'incidents.priority_overridden', 'incidents.priority_reason', 'incidents.reported_at', 'incidents.service_id',
  'incidents.team_id', 'incidents.agent_id', 'incidents.parent_id', 'incidents.problem_id', 'incidents.resolution_code',
  'incidents.resolution', 'incidents.reopen_count', 'incidents.created_by', 'incidents.created_at', 'incidents.updated_at',
  'incidents.resolved_at', 'incidents.closed_at', 'incidents.last_customer_update_at',
  'incidents.sla_policy_id', 'incidents.tto_due_at', 'incidents.ttr_due_at', 'incidents.tto_warn_at', 'incidents.ttr_warn_at',
  'incidents.tto_met_at', 'incidents.tto_warned', 'incidents.tto_breached', 'incidents.ttr_warned', 'incidents.ttr_breached',
  'incidents.sla_paused_minutes', 'incidents.sla_paused_since', 'incidents.sla_next_check_at', 'incidents.ttr_due_sort',
  'incidents.first_owned_at', 'incidents.pending_spans', 'incidents.resolved_spans',
] as const;

// `sla_stale` is read by the job that clears it only.
export type IncidentRow = Omit<Selectable<IncidentTable>, 'search_vector' | 'sla_stale'>;
type NewIncident = Omit<Insertable<IncidentTable>, 'search_vector'>;

const SORTS: Record<IncidentSort, { column: 'created_at' | 'updated_at' | 'priority' | 'reported_at' | 'ttr_due_sort'; desc: boolean }> = {
  createdAt: { column: 'created_at', desc: false },
  '-createdAt': { column: 'created_at', desc: true },
  updatedAt: { column: 'updated_at', desc: false },
  '-updatedAt': { column: 'updated_at', desc: true },
  priority: { column: 'priority', desc: false },
  '-priority': { column: 'priority', desc: true },
  reportedAt: { column: 'reported_at', desc: false },
  '-reportedAt': { column: 'reported_at', desc: true },
  // "Due soonest": incidents without a running TTR deadline come last.
  ttrDueAt: { column: 'ttr_due_sort', desc: false },
  '-ttrDueAt': { column: 'ttr_due_sort', desc: true },
};

export function sortKey(sort: IncidentSort, row: IncidentRow): [string | number, number] {
  return [row[SORTS[sort].column], row.id];
}

/** An incident the actor may see, or undefined. */
export function findVisibleIncident(db: Executor, actor: Actor, id: number) {
  return visibleIncidents(db.selectFrom('incidents').select(COLUMNS), actor).where('incidents.id', '=', id).executeTakeFirst();
}

/** Which of these incidents the actor may see, in one query. */
export async function visibleIncidentIds(db: Executor, actor: Actor, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await visibleIncidents(db.selectFrom('incidents').select('incidents.id'), actor).where('incidents.id', 'in', [...new Set(ids)]).execute();
  return new Set(rows.map((r) => r.id));
}

export function findIncidentsByIds(db: Executor, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([] as IncidentRow[]);
  return db.selectFrom('incidents').select(COLUMNS).where('incidents.id', 'in', ids).execute();
}

/** Open children of a parent that the actor may act on (a major incident may span organizations). */
export function findOpenChildren(db: Executor, actor: Actor, parentId: number) {
  return visibleIncidents(db.selectFrom('incidents').select(COLUMNS), actor)
    .where('incidents.parent_id', '=', parentId)
    .where('incidents.status', 'in', ['new', 'assigned', 'in_progress', 'pending'])
    .execute();
}

/** Child ids of each given incident, in one query; only those the actor may see, when an actor is given. */
export async function childIdsOf(db: Executor, parentIds: number[], actor?: Actor): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>();
  if (parentIds.length === 0) return map;
  const q = db.selectFrom('incidents').select(['incidents.id as id', 'incidents.parent_id as parent_id']).where('incidents.parent_id', 'in', parentIds);
  const rows = await (actor ? visibleIncidents(q, actor) : q).orderBy('incidents.id').execute();
  for (const r of rows) map.set(r.parent_id!, [...(map.get(r.parent_id!) ?? []), r.id]);
  return map;
}

export function listIncidents(db: Executor, actor: Actor, f: IncidentListQuery, after: [string | number, number] | null) {
  const terms = f.q ? searchTerms(f.q) : [];
  const ref = f.q ? /^\s*i-?0*(\d{1,12})\s*$/i.exec(f.q) : null;
  const { column, desc } = SORTS[f.sort];
  if (f.q && !ref && terms.length > 0 && !isPostgres(db) && column === 'created_at') {
    // SQLite, newest (or oldest) first: walk the FTS index in rowid order and stop at the page. Ids grow
    // with creation (one writer), so this is the created_at order without sorting every match.
    let q = visibleIncidents(db.selectFrom('incidents_fts').innerJoin('incidents', 'incidents.id', 'incidents_fts.rowid').select(COLUMNS), actor);
    q = withFilters(q, f).where(sql<boolean>`incidents_fts match ${terms.map((t) => `"${t}"*`).join(' ')}`);
    if (after) q = q.where('incidents.id', desc ? '<' : '>', after[1]);
    return q.orderBy('incidents_fts.rowid', desc ? 'desc' : 'asc').limit(f.limit + 1).execute();
  }
  let q = withFilters(visibleIncidents(db.selectFrom('incidents').select(COLUMNS), actor), f);
  if (f.q) {
    // A reference beyond the largest id matches nothing (PostgreSQL would refuse the comparison).
    if (ref) q = Number(ref[1]) <= MAX_ID ? q.where('incidents.id', '=', Number(ref[1])) : q.where(sql<boolean>`1 = 0`);
    else if (terms.length === 0) q = q.where(sql<boolean>`1 = 0`);
    else if (isPostgres(db)) q = q.where(sql<boolean>`incidents.search_vector @@ to_tsquery('simple', ${terms.map((t) => `${t}:*`).join(' & ')})`);
    else q = q.where('incidents.id', 'in', sql<number>`(select rowid from incidents_fts where incidents_fts match ${terms.map((t) => `"${t}"*`).join(' ')})`);
  }
  if (after) {
    q = q.where((eb) => eb(eb.refTuple(`incidents.${column}`, 'incidents.id'), desc ? '<' : '>', eb.tuple(after[0] as never, after[1])));
  }
  return q
    .orderBy(`incidents.${column}`, desc ? 'desc' : 'asc')
    .orderBy('incidents.id', desc ? 'desc' : 'asc')
    .limit(f.limit + 1)
    .execute();
}

/** The list filters other than full text, on any query that has `incidents` in it. */
function withFilters<QB extends SelectQueryBuilder<DB, 'incidents' | 'incidents_fts', any>>(qb: QB, f: IncidentListQuery): QB {
  let q = qb as SelectQueryBuilder<DB, 'incidents', any>;
  if (f.status?.length) q = q.where('incidents.status', 'in', f.status);
  if (f.priority?.length) q = q.where('incidents.priority', 'in', f.priority);
  if (f.orgId?.length) q = q.where('incidents.org_id', 'in', f.orgId);
  if (f.teamId?.length) q = q.where('incidents.team_id', 'in', f.teamId);
  if (f.agentId?.length) q = q.where('incidents.agent_id', 'in', f.agentId);
  if (f.channel?.length) q = q.where('incidents.channel', 'in', f.channel);
  if (f.callerId !== undefined) q = q.where('incidents.caller_id', '=', f.callerId);
  if (f.parentId !== undefined) q = q.where('incidents.parent_id', '=', f.parentId);
  if (f.unassigned === true) q = q.where('incidents.agent_id', 'is', null);
  if (f.unassigned === false) q = q.where('incidents.agent_id', 'is not', null);
  if (f.createdFrom) q = q.where('incidents.created_at', '>=', new Date(f.createdFrom).toISOString());
  if (f.createdTo) q = q.where('incidents.created_at', '<', new Date(f.createdTo).toISOString());
  return q as unknown as QB;
}

export async function insertIncident(db: Executor, values: NewIncident): Promise<IncidentRow> {
  const text = foldText(`${values.title} ${values.description}`);
  if (isPostgres(db)) {
    return db
      .insertInto('incidents')
      .values({ ...values, search_vector: sql`to_tsvector('simple', ${text})` })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
  }
  const row = await db.insertInto('incidents').values(values).returning(COLUMNS).executeTakeFirstOrThrow();
  await db.insertInto('incidents_fts').values({ rowid: row.id, text }).execute();
  return row;
}

export async function updateIncident(db: Executor, id: number, values: Omit<Updateable<IncidentTable>, 'search_vector'>): Promise<IncidentRow> {
  const textChanged = values.title !== undefined || values.description !== undefined;
  if (!textChanged) {
    return db.updateTable('incidents').set(values).where('id', '=', id).returning(COLUMNS).executeTakeFirstOrThrow();
  }
  const current = await db.selectFrom('incidents').select(['title', 'description']).where('id', '=', id).executeTakeFirstOrThrow();
  const text = foldText(`${values.title ?? current.title} ${values.description ?? current.description}`);
  if (isPostgres(db)) {
    return db
      .updateTable('incidents')
      .set({ ...values, search_vector: sql`to_tsvector('simple', ${text})` })
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
  }
  const row = await db.updateTable('incidents').set(values).where('id', '=', id).returning(COLUMNS).executeTakeFirstOrThrow();
  await db.deleteFrom('incidents_fts').where('rowid', '=', id).execute();
  await db.insertInto('incidents_fts').values({ rowid: id, text }).execute();
  return row;
}

/** Resolved incidents of an organization whose resolution is older than the cutoff. */
export function findStaleResolved(db: Executor, orgId: number, resolvedBefore: string, limit: number) {
  return db
    .selectFrom('incidents')
    .select(COLUMNS)
    .where('incidents.org_id', '=', orgId)
    .where('incidents.status', '=', 'resolved')
    .where('incidents.resolved_at', '<', resolvedBefore)
    .orderBy('incidents.resolved_at')
    .limit(limit)
    .execute();
}

/**
 * Closes an incident only if it is still resolved. The condition makes the close happen once even when
 * several workers race for it, or a requester reopens it meanwhile.
 */
export async function closeIfStillResolved(db: Executor, id: number, now: string): Promise<boolean> {
  const r = await db
    .updateTable('incidents')
    .set({ status: 'closed', closed_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'resolved')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Incidents whose next SLA check is due, oldest first. */
export function findDueForSlaCheck(db: Executor, now: string, limit: number) {
  return db
    .selectFrom('incidents')
    .select('id')
    .where('sla_next_check_at', '<=', now)
    .orderBy('sla_next_check_at')
    .limit(limit)
    .execute()
    .then((rows) => rows.map((r) => r.id));
}

/**
 * Locks an incident whose SLA check is still due. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several
 * workers share the work without waiting on each other; SQLite has a single writer already.
 */
export function claimForSlaCheck(trx: Executor, id: number, now: string) {
  const q = trx.selectFrom('incidents').select(COLUMNS).where('incidents.id', '=', id).where('incidents.sla_next_check_at', '<=', now);
  return (isPostgres(trx) ? q.forUpdate().skipLocked() : q).executeTakeFirst();
}

/** SLA outcome counts per organization and priority of incidents reported in [from, to) under a policy. */
export function slaOutcomes(db: Executor, actor: Actor, f: { from: string; to: string; orgId?: number }) {
  let q = visibleIncidents(db.selectFrom('incidents'), actor)
    .where('incidents.sla_policy_id', 'is not', null)
    .where('incidents.reported_at', '>=', f.from)
    .where('incidents.reported_at', '<', f.to);
  if (f.orgId !== undefined) q = q.where('incidents.org_id', '=', f.orgId);
  return q
    .select((eb) => [
      'incidents.org_id',
      'incidents.priority',
      eb.fn.countAll<number>().as('incidents'),
      eb.fn.sum<number>(eb.case().when(sql<boolean>`incidents.tto_met_at is not null and incidents.tto_met_at <= incidents.tto_due_at`).then(1).else(0).end()).as('tto_met'),
      eb.fn.sum<number>(eb.case().when('incidents.tto_breached', '=', 1).then(1).else(0).end()).as('tto_breached'),
      eb.fn.sum<number>(eb.case().when(sql<boolean>`incidents.resolved_at is not null and incidents.ttr_breached = 0 and incidents.resolved_at <= incidents.ttr_due_at`).then(1).else(0).end()).as('ttr_met'),
      eb.fn.sum<number>(eb.case().when('incidents.ttr_breached', '=', 1).then(1).else(0).end()).as('ttr_breached'),
    ])
    .groupBy(['incidents.org_id', 'incidents.priority'])
    .orderBy('incidents.org_id')
    .orderBy('incidents.priority')
    .execute();
}

/** Ids of the open incidents (of these organizations only, when given), in id order, for batch jobs to split into ranges. */
export async function openIncidentIds(db: Executor, orgIds?: number[]): Promise<number[]> {
  let q = db.selectFrom('incidents').select('id').where('status', 'in', OPEN_STATUSES);
  if (orgIds) q = orgIds.length > 0 ? q.where('org_id', 'in', orgIds) : q.where(sql<boolean>`1 = 0`);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => r.id);
}

/**
 * What computing the SLA state of open incidents with ids in [from, to] reads, the rows locked on PostgreSQL
 * until the transaction ends: a batch that rewrites them must not overwrite a concurrent change with values
 * computed from the state before it.
 */
export function lockOpenIncidentsForSla(trx: Trx, from: number, to: number, orgIds?: number[]): Promise<SlaFacts[]> {
  let q = trx
    .selectFrom('incidents')
    .select(SLA_FACTS)
    .where('incidents.id', '>=', from)
    .where('incidents.id', '<=', to)
    .where('incidents.status', 'in', OPEN_STATUSES)
    .orderBy('incidents.id');
  if (orgIds) q = orgIds.length > 0 ? q.where('incidents.org_id', 'in', orgIds) : q.where(sql<boolean>`1 = 0`);
  return (isPostgres(trx) ? q.forUpdate() : q).execute();
}

/**
 * Incidents whose SLA state was computed before their SLA history existed (flagged by the migration that
 * added it), oldest first, locked like a recompute's batch; on PostgreSQL those another worker holds are skipped.
 */
export function lockStaleSlaIncidents(trx: Trx, limit: number): Promise<SlaFacts[]> {
  const q = trx.selectFrom('incidents').select(SLA_FACTS).where('sla_stale', '=', 1).orderBy('id').limit(limit);
  return (isPostgres(trx) ? q.forUpdate().skipLocked() : q).execute();
}

export async function clearSlaStale(trx: Trx, ids: number[]): Promise<void> {
  if (ids.length > 0) await trx.updateTable('incidents').set({ sla_stale: 0 }).where('id', 'in', ids).execute();
}

/** An incident's SLA state as stored: what a recompute writes. */
export type SlaColumns = Pick<IncidentRow, keyof typeof SLA_COLUMN_TYPES>;

const SLA_COLUMN_TYPES = {
  sla_policy_id: 'integer', tto_due_at: 'timestamptz', ttr_due_at: 'timestamptz', tto_warn_at: 'timestamptz',
  ttr_warn_at: 'timestamptz', tto_met_at: 'timestamptz', sla_paused_minutes: 'integer', sla_paused_since: 'timestamptz',
  tto_warned: 'integer', tto_breached: 'integer', ttr_warned: 'integer', ttr_breached: 'integer',
  sla_next_check_at: 'timestamptz', ttr_due_sort: 'timestamptz',
} as const;

const SLA_COLUMNS = Object.keys(SLA_COLUMN_TYPES) as (keyof SlaColumns)[];
const SLA_FACTS = ['id', 'org_id', 'service_id', 'priority', 'status', 'reported_at', 'resolved_at', 'first_owned_at', 'pending_spans', 'resolved_spans', ...SLA_COLUMNS] as const;
const SQLITE_UPDATE_SLA = `update incidents set ${SLA_COLUMNS.map((c) => `${c} = ?`).join(', ')} where id = ?`;

/** An incident's SLA state and the facts it is computed from (a batch reads only these). */
export type SlaFacts = Pick<IncidentRow, (typeof SLA_FACTS)[number]>;

/**
 * Writes the SLA columns of many incidents (batch recomputes). PostgreSQL gets one statement with the rows as
 * one JSON parameter — 100 round trips for 100,000 incidents instead of 100,000; SQLite runs in-process, where
 * one prepared UPDATE per row is three times faster than unpacking JSON.
 */
export async function updateSlaColumnsMany(db: Executor, rows: (SlaColumns & { id: number })[]): Promise<void> {
  if (rows.length === 0) return;
  if (isPostgres(db)) {
    const set = sql.join(SLA_COLUMNS.map((c) => sql`${sql.ref(c)} = ${sql.ref(`v.${c}`)}`));
    const types = sql.join(SLA_COLUMNS.map((c) => sql`${sql.ref(c)} ${sql.raw(SLA_COLUMN_TYPES[c])}`));
    await sql`update incidents set ${set} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id integer, ${types}) where incidents.id = v.id`.execute(db);
    return;
  }
  // The SQL text is fixed: compiled once here rather than by the query builder for every row.
  for (const row of rows) await db.executeQuery(CompiledQuery.raw(SQLITE_UPDATE_SLA, [...SLA_COLUMNS.map((c) => row[c]), row.id]));
}

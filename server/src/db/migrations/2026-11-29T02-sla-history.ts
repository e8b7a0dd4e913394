import { CompiledQuery, type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never import application code here.
// The SLA history of each incident, kept whatever policy applies, so that its SLA state can always be computed
// from it: the first ownership, every stay in `pending` and every stay in `resolved`. Back-filled from the
// timeline, which records every status change (with its pending reason), every change of agent, and every reply
// with its author. Open incidents are flagged `sla_stale`: their deadlines and pauses were computed before the
// history existed, and the worker recomputes them from it (this migration cannot: calendars are app code).
//
// All of it in one transaction, so that an interrupted upgrade leaves nothing behind: PostgreSQL runs every
// migration in one already; SQLite (no transactional DDL for Kysely's migrator) gets its own here. And should the
// process stop between that commit and the migrator recording it, the next start finds the columns and has
// nothing left to do.

const BATCH = 500;
const OPEN = ['new', 'assigned', 'in_progress', 'pending'];

export async function up(db: Kysely<any>): Promise<void> {
  await inTransaction(db, async (trx) => {
    const columns = (await trx.introspection.getTables()).find((t) => t.name === 'incidents')!.columns;
    if (columns.some((c) => c.name === 'first_owned_at')) return;
    await migrate(trx);
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.schema.dropIndex('incidents_sla_stale').execute();
    for (const column of ['sla_stale', 'resolved_spans', 'pending_spans', 'first_owned_at']) await trx.schema.alterTable('incidents').dropColumn(column).execute();
  });
}

async function migrate(db: Kysely<any>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('incidents').addColumn('first_owned_at', pg ? 'timestamptz' : 'text').execute();
  await db.schema.alterTable('incidents').addColumn('pending_spans', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('incidents').addColumn('resolved_spans', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('incidents').addColumn('sla_stale', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // The worker looks for flagged incidents every minute: a partial index holds only those.
  await db.schema.createIndex('incidents_sla_stale').on('incidents').column('id').where(sql.ref('sla_stale'), '=', 1).execute();

  let after = 0;
  for (;;) {
    const incidents: IncidentRow[] = await db
      .selectFrom('incidents')
      .select(['id', 'status', 'agent_id', 'sla_policy_id', 'tto_warn_at', 'tto_due_at', 'tto_met_at', 'tto_warned', 'tto_breached'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (incidents.length === 0) break;
    after = incidents.at(-1)!.id;
    const entries: EntryRow[] = await db
      .selectFrom('timeline_entries')
      .leftJoin('users', 'users.id', 'timeline_entries.author_id')
      .select(['timeline_entries.incident_id', 'timeline_entries.kind', 'timeline_entries.visibility', 'timeline_entries.event', 'timeline_entries.changes', 'timeline_entries.created_at', 'users.role'])
      .where('timeline_entries.incident_id', '>=', incidents[0]!.id)
      .where('timeline_entries.incident_id', '<=', after)
      .where((eb) => eb.or([eb('timeline_entries.kind', '=', 'reply'), eb('timeline_entries.changes', 'is not', null)]))
      .orderBy('timeline_entries.incident_id')
      .orderBy('timeline_entries.id')
      .execute();
    const byIncident = new Map<number, EntryRow[]>();
    for (const e of entries) byIncident.set(e.incident_id, [...(byIncident.get(e.incident_id) ?? []), e]);

    const rows: Values[] = [];
    for (const incident of incidents) {
      const { firstOwnedAt, pending, resolved } = historyFrom(byIncident.get(incident.id) ?? [], incident.agent_id !== null);
      const stale = OPEN.includes(incident.status);
      if (firstOwnedAt === null && pending.length === 0 && resolved.length === 0 && !stale) continue;
      const values: Values = {
        id: incident.id,
        first_owned_at: firstOwnedAt,
        pending_spans: JSON.stringify(pending),
        resolved_spans: JSON.stringify(resolved),
        tto_met_at: incident.tto_met_at === null ? null : iso(incident.tto_met_at),
        tto_warned: incident.tto_warned,
        tto_breached: incident.tto_breached,
        sla_stale: stale ? 1 : 0,
      };
      if (incident.sla_policy_id !== null && firstOwnedAt !== null) {
        // TTO was met at the first ownership, whenever the policy came; a warning or breach recorded for a
        // deadline after it did not happen. Open incidents get the rest from the worker's recompute.
        values.tto_met_at = firstOwnedAt;
        if (incident.tto_warn_at !== null && iso(incident.tto_warn_at) > firstOwnedAt) values.tto_warned = 0;
        if (incident.tto_due_at !== null && iso(incident.tto_due_at) > firstOwnedAt) values.tto_breached = 0;
      }
      rows.push(values);
    }
    await updateMany(db, pg, rows);
  }
}

/** The body in a transaction: the migrator's own on PostgreSQL, a new one on SQLite. */
async function inTransaction(db: Kysely<any>, body: (trx: Kysely<any>) => Promise<void>) {
  if (db.isTransaction) await body(db);
  else await db.transaction().execute(body);
}

/** One statement per batch on PostgreSQL (rows as a JSON parameter); on SQLite, in-process, one prepared UPDATE per row. */
async function updateMany(db: Kysely<any>, pg: boolean, rows: Values[]) {
  if (rows.length === 0) return;
  if (pg) {
    await sql`update incidents set first_owned_at = v.first_owned_at, pending_spans = v.pending_spans, resolved_spans = v.resolved_spans,
      tto_met_at = v.tto_met_at, tto_warned = v.tto_warned, tto_breached = v.tto_breached, sla_stale = v.sla_stale
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id integer, first_owned_at timestamptz, pending_spans text, resolved_spans text,
        tto_met_at timestamptz, tto_warned integer, tto_breached integer, sla_stale integer)
      where incidents.id = v.id`.execute(db);
    return;
  }
  const update = 'update incidents set first_owned_at = ?, pending_spans = ?, resolved_spans = ?, tto_met_at = ?, tto_warned = ?, tto_breached = ?, sla_stale = ? where id = ?';
  for (const r of rows) {
    await db.executeQuery(CompiledQuery.raw(update, [r.first_owned_at, r.pending_spans, r.resolved_spans, r.tto_met_at, r.tto_warned, r.tto_breached, r.sla_stale, r.id]));
  }
}

interface IncidentRow {
  id: number;
  status: string;
  agent_id: number | null;
  sla_policy_id: number | null;
  tto_warn_at: string | Date | null;
  tto_due_at: string | Date | null;
  tto_met_at: string | Date | null;
  tto_warned: number;
  tto_breached: number;
}

interface Values {
  id: number;
  first_owned_at: string | null;
  pending_spans: string;
  resolved_spans: string;
  tto_met_at: string | null;
  tto_warned: number;
  tto_breached: number;
  sla_stale: number;
}

interface EntryRow {
  incident_id: number;
  kind: string;
  visibility: string;
  event: string | null;
  changes: string | null;
  created_at: string | Date;
  role: string | null;
}

type Change = { field: string; from: unknown; to: unknown };

/**
 * First ownership: the first agent (set at creation when the first recorded change of agent starts from one,
 * or when none is recorded and the incident has one), the first public reply by staff on the incident itself,
 * or the first resolution. Stays in `pending`: from each status change into it to the next status change.
 * Stays in `resolved`: from each resolution to the next status change other than closing.
 */
function historyFrom(entries: EntryRow[], hasAgent: boolean) {
  const changesOf = (e: EntryRow): Change[] => (e.changes ? (JSON.parse(e.changes) as Change[]) : []);
  const firstAgentChange = entries.flatMap(changesOf).find((c) => c.field === 'agentId');
  const agentAtCreation = firstAgentChange ? firstAgentChange.from != null : hasAgent;
  let firstOwnedAt: string | null = null;
  const pending: { reason: string; from: string; to: string | null }[] = [];
  const resolved: { from: string; to: string | null }[] = [];
  for (const e of entries) {
    const at = iso(e.created_at);
    const changes = changesOf(e);
    const own = () => void (firstOwnedAt ??= at);
    if (e.event === 'created' && agentAtCreation) own();
    if (e.kind === 'reply' && e.visibility === 'public' && e.role !== null && e.role !== 'requester' && e.event !== 'parent_update') own();
    for (const c of changes) if (c.field === 'agentId' && c.to != null) own();
    const status = changes.find((c) => c.field === 'status');
    if (!status) continue;
    const done = status.to === 'resolved' || status.to === 'closed';
    if (done) own();
    const openPending = pending.at(-1);
    if (openPending && openPending.to === null) openPending.to = at;
    if (status.to === 'pending') pending.push({ reason: String(changes.find((c) => c.field === 'pendingReason')?.to), from: at, to: null });
    const openResolved = resolved.at(-1);
    if (openResolved && openResolved.to === null && !done) openResolved.to = at;
    if (done && !(openResolved && openResolved.to === null)) resolved.push({ from: at, to: null });
  }
  return { firstOwnedAt: firstOwnedAt as string | null, pending, resolved };
}

function iso(v: string | Date): string {
  return new Date(v).toISOString();
}

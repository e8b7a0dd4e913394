import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never import application code here.
// The SLA history of each incident, kept whatever policy applies, so that its SLA state can always be computed
// from it: the first ownership and every stay in `pending`. Back-filled from the timeline, which records every
// status change (with its pending reason), every change of agent, and every reply with its author.

const BATCH = 500;

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('incidents').addColumn('first_owned_at', pg ? 'timestamptz' : 'text').execute();
  await db.schema.alterTable('incidents').addColumn('pending_spans', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  let after = 0;
  for (;;) {
    const incidents: IncidentRow[] = await db
      .selectFrom('incidents')
      .select(['id', 'agent_id', 'sla_policy_id', 'tto_warn_at', 'tto_due_at'])
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

    for (const incident of incidents) {
      const { firstOwnedAt, pending } = historyFrom(byIncident.get(incident.id) ?? [], incident.agent_id !== null);
      if (firstOwnedAt === null && pending.length === 0) continue;
      const values: Record<string, unknown> = { first_owned_at: firstOwnedAt, pending_spans: JSON.stringify(pending) };
      if (incident.sla_policy_id !== null && firstOwnedAt !== null) {
        // TTO was met at the first ownership, whenever the policy came; a warning or breach recorded for a
        // deadline after it did not happen. Pauses and deadlines are recomputed by "apply to open incidents".
        values.tto_met_at = firstOwnedAt;
        if (incident.tto_warn_at !== null && iso(incident.tto_warn_at) > firstOwnedAt) values.tto_warned = 0;
        if (incident.tto_due_at !== null && iso(incident.tto_due_at) > firstOwnedAt) values.tto_breached = 0;
      }
      await db.updateTable('incidents').set(values).where('id', '=', incident.id).execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('incidents').dropColumn('pending_spans').execute();
  await db.schema.alterTable('incidents').dropColumn('first_owned_at').execute();
}

interface IncidentRow {
  id: number;
  agent_id: number | null;
  sla_policy_id: number | null;
  tto_warn_at: string | Date | null;
  tto_due_at: string | Date | null;
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
 */
function historyFrom(entries: EntryRow[], hasAgent: boolean) {
  const changesOf = (e: EntryRow): Change[] => (e.changes ? (JSON.parse(e.changes) as Change[]) : []);
  const firstAgentChange = entries.flatMap(changesOf).find((c) => c.field === 'agentId');
  const agentAtCreation = firstAgentChange ? firstAgentChange.from != null : hasAgent;
  let firstOwnedAt: string | null = null;
  const pending: { reason: string; from: string; to: string | null }[] = [];
  for (const e of entries) {
    const at = iso(e.created_at);
    const changes = changesOf(e);
    const own = () => void (firstOwnedAt ??= at);
    if (e.event === 'created' && agentAtCreation) own();
    if (e.kind === 'reply' && e.visibility === 'public' && e.role !== null && e.role !== 'requester' && e.event !== 'parent_update') own();
    for (const c of changes) if (c.field === 'agentId' && c.to != null) own();
    const status = changes.find((c) => c.field === 'status');
    if (!status) continue;
    if (status.to === 'resolved' || status.to === 'closed') own();
    const open = pending.at(-1);
    if (open && open.to === null) open.to = at;
    if (status.to === 'pending') pending.push({ reason: String(changes.find((c) => c.field === 'pendingReason')?.to), from: at, to: null });
  }
  return { firstOwnedAt: firstOwnedAt as string | null, pending };
}

function iso(v: string | Date): string {
  return new Date(v).toISOString();
}

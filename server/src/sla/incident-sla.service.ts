import type { IncidentStatus, PendingReason } from '../../../contract/incidents.ts';
import type { Trx } from '../db/database.ts';
import { type IncidentRow, type SlaColumns, type SlaFacts, updateIncident } from '../incidents/incident.repository.ts';
import { getOrganization } from '../organizations/organization.repository.ts';
import { businessClockFor } from './business-clock.ts';
import { candidatePolicies, toSlaPolicy } from './sla-policy.repository.ts';
import { type BusinessClock, type Escalation, nextCheckAt, recordHistory, selectPolicy, slaApplies, type SlaHistory, slaState } from './sla-rules.ts';

const NO_DUE = '9999-12-31T23:59:59.999Z';

/**
 * Records what a change did to an incident's SLA history (first ownership, stays in `pending`) and brings its
 * SLA columns up to date, inside the change's transaction. The only place where that history is written:
 * every use case that changes an incident calls it with the row as changed, and says whether the service desk
 * answered publicly (a reply is not visible on the row).
 */
export async function refreshIncidentSla(trx: Trx, row: IncidentRow, now: Date, happened: { answeredByStaff?: boolean } = {}): Promise<IncidentRow> {
  const before = historyOf(row);
  const after = recordHistory(before, { status: row.status as IncidentStatus, pendingReason: row.pending_reason as PendingReason | null, agentId: row.agent_id }, now, happened.answeredByStaff ?? false);
  const facts = after === before
    ? null
    : { first_owned_at: iso(after.firstOwnedAt), pending_spans: JSON.stringify(after.pending), resolved_spans: JSON.stringify(after.resolved) };
  const values = await slaColumnsFor({ ...row, ...facts }, now, new SlaLookups(trx), after);
  return facts || values ? updateIncident(trx, row.id, { ...facts, ...values }) : row;
}

/**
 * The SLA columns an incident should have now, computed from its history (`history`, when the caller has it
 * parsed already), or null when they are already right; reads through `lookups` so that a batch (a recompute)
 * reads each organization, policy set and calendar once.
 */
export async function slaColumnsFor(row: SlaFacts, now: Date, lookups: SlaLookups, history?: SlaHistory): Promise<SlaColumns | null> {
  const org = await lookups.organization(row.org_id);
  if (!org) return null;
  const applies = slaApplies({ maturityLevel: org.maturity_level, slaEnabled: org.sla_enabled === null ? null : org.sla_enabled === 1 });
  const policy = applies ? selectPolicy(await lookups.policies(row.org_id), { orgId: row.org_id, serviceId: row.service_id }) : null;
  const flags = currentFlags(row);
  if (!policy && row.sla_policy_id === null && !Object.values(flags).some(Boolean)) return null;

  const clock = policy ? await lookups.clock(policy.calendarId) : null;
  const facts = {
    priority: row.priority, reportedAt: new Date(row.reported_at), resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null, ...(history ?? historyOf(row)),
  };
  const state = slaState(policy, clock, facts, flags, now);
  const open = row.status !== 'resolved' && row.status !== 'closed';
  const next = nextCheckAt(state, facts.resolvedAt);
  const values: SlaColumns = {
    sla_policy_id: state.slaPolicyId,
    tto_due_at: iso(state.ttoDueAt),
    ttr_due_at: iso(state.ttrDueAt),
    tto_warn_at: iso(state.ttoWarnAt),
    ttr_warn_at: iso(state.ttrWarnAt),
    tto_met_at: iso(state.ttoMetAt),
    sla_paused_minutes: state.pausedMinutes,
    sla_paused_since: iso(state.pausedSince),
    tto_warned: state.flags.tto_warning ? 1 : 0,
    tto_breached: state.flags.tto_breached ? 1 : 0,
    ttr_warned: state.flags.ttr_warning ? 1 : 0,
    ttr_breached: state.flags.ttr_breached ? 1 : 0,
    sla_next_check_at: iso(next),
    ttr_due_sort: open && state.ttrDueAt ? state.ttrDueAt.toISOString() : NO_DUE,
  };
  // Most recomputes change nothing: no write then.
  return (Object.keys(values) as (keyof SlaColumns)[]).every((k) => row[k] === values[k]) ? null : values;
}

/**
 * What refreshing an incident's SLA reads (its organization, the candidate policies, the calendar), read once
 * per use: a batch such as a recompute shares one instance across thousands of incidents.
 */
export class SlaLookups {
  private readonly orgs = new Map<number, Promise<Awaited<ReturnType<typeof getOrganization>>>>();
  private readonly policiesByOrg = new Map<number, Promise<ReturnType<typeof toSlaPolicy>[]>>();
  private readonly clocks = new Map<number, Promise<BusinessClock>>();

  constructor(private readonly trx: Trx) {}

  organization(id: number) {
    let org = this.orgs.get(id);
    if (!org) this.orgs.set(id, (org = getOrganization(this.trx, id)));
    return org;
  }

  policies(orgId: number) {
    let p = this.policiesByOrg.get(orgId);
    if (!p) this.policiesByOrg.set(orgId, (p = candidatePolicies(this.trx, orgId).then((rows) => rows.map(toSlaPolicy))));
    return p;
  }

  clock(calendarId: number) {
    let c = this.clocks.get(calendarId);
    if (!c) this.clocks.set(calendarId, (c = businessClockFor(this.trx, calendarId)));
    return c;
  }
}

export function currentFlags(row: Pick<IncidentRow, 'tto_warned' | 'tto_breached' | 'ttr_warned' | 'ttr_breached'>): Record<Escalation, boolean> {
  return { tto_warning: row.tto_warned === 1, tto_breached: row.tto_breached === 1, ttr_warning: row.ttr_warned === 1, ttr_breached: row.ttr_breached === 1 };
}

/** The SLA history stored on an incident (`pending_spans` and `resolved_spans` are JSON). */
function historyOf(row: Pick<SlaFacts, 'first_owned_at' | 'pending_spans' | 'resolved_spans'>): SlaHistory {
  return {
    firstOwnedAt: row.first_owned_at ? new Date(row.first_owned_at) : null,
    pending: spansOf<{ reason: PendingReason }>(row.pending_spans).map((s) => ({ reason: s.reason, from: new Date(s.from), to: s.to ? new Date(s.to) : null })),
    resolved: spansOf(row.resolved_spans).map((s) => ({ from: new Date(s.from), to: s.to ? new Date(s.to) : null })),
  };
}

function spansOf<Extra = object>(json: string): (Extra & { from: string; to: string | null })[] {
  // Most incidents were never pending nor reopened: no parsing for them (a recompute reads thousands).
  return json === '[]' ? [] : JSON.parse(json);
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

import type { IncidentStatus, PendingReason } from '../../../contract/incidents.ts';
import type { Trx } from '../db/database.ts';
import { type IncidentRow, type SlaColumns, type SlaFacts, updateIncident } from '../incidents/incident.repository.ts';
import { businessClockFor } from './business-clock.ts';
import { candidatePolicies, toSlaPolicy } from './sla-policy.repository.ts';
import { type BusinessClock, computeDeadlines, type Escalation, isPaused, nextCheckAt, selectPolicy, slaApplies, type SlaState } from './sla-rules.ts';
import { getOrganization } from '../organizations/organization.repository.ts';

const NO_DUE = '9999-12-31T23:59:59.999Z';

/**
 * Brings an incident's SLA columns up to date after a change, inside the change's transaction: which
 * policy applies, pauses entered or left, deadlines (recomputed from `reportedAt`, keeping paused time),
 * and the next instant the escalation worker must look at it. `ownedNow` records the first ownership (TTO met).
 */
export async function refreshIncidentSla(trx: Trx, row: IncidentRow, now: Date, opts: { ownedNow?: boolean } = {}): Promise<IncidentRow> {
  const values = await slaColumnsFor(row, now, new SlaLookups(trx), opts);
  return values ? updateIncident(trx, row.id, values) : row;
}

/**
 * The SLA columns an incident should have now, or null when they are already right; reads through
 * `lookups` so that a batch (a recompute) reads each organization, policy set and calendar once.
 */
export async function slaColumnsFor(row: SlaFacts, now: Date, lookups: SlaLookups, opts: { ownedNow?: boolean } = {}): Promise<SlaColumns | null> {
  const org = await lookups.organization(row.org_id);
  if (!org) return null;
  const applies = slaApplies({ maturityLevel: org.maturity_level, slaEnabled: org.sla_enabled === null ? null : org.sla_enabled === 1 });
  const policy = applies ? selectPolicy(await lookups.policies(row.org_id), { orgId: row.org_id, serviceId: row.service_id }) : null;
  if (!policy && row.sla_policy_id === null) return null;

  const clock = policy ? await lookups.clock(policy.calendarId) : null;
  const status = row.status as IncidentStatus;
  const reason = row.pending_reason as PendingReason | null;
  let pausedMinutes = row.sla_paused_minutes;
  let pausedSince = row.sla_paused_since ? new Date(row.sla_paused_since) : null;
  const pausedNow = isPaused(policy, status, reason);
  if (pausedNow && !pausedSince) pausedSince = now;
  if (!pausedNow && pausedSince) {
    pausedMinutes += clock ? Math.round(clock.minutesBetween(pausedSince, now)) : 0;
    pausedSince = null;
  }
  const ttoMetAt = row.tto_met_at ? new Date(row.tto_met_at) : opts.ownedNow ? now : null;
  const facts = {
    orgId: row.org_id, serviceId: row.service_id, priority: row.priority, status, pendingReason: reason,
    reportedAt: new Date(row.reported_at), resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null,
  };
  const deadlines = policy && clock ? computeDeadlines(policy, facts, { minutes: pausedMinutes, since: pausedSince }, clock) : { slaPolicyId: null, ttoDueAt: null, ttrDueAt: null, ttoWarnAt: null, ttrWarnAt: null };

  // A deadline moved past now (e.g. a lower priority) makes its crossing a future one again.
  const flags = currentFlags(row);
  const rearm = (kind: Escalation, at: Date | null) => {
    if (flags[kind] && at !== null && at.getTime() > now.getTime()) flags[kind] = false;
  };
  rearm('tto_warning', deadlines.ttoWarnAt);
  rearm('tto_breached', deadlines.ttoDueAt);
  rearm('ttr_warning', deadlines.ttrWarnAt);
  rearm('ttr_breached', deadlines.ttrDueAt);

  const state: SlaState = { ...deadlines, ttoMetAt, pausedMinutes, pausedSince, flags };
  const open = status !== 'resolved' && status !== 'closed';
  const next = nextCheckAt(state, facts.resolvedAt);
  const values: SlaColumns = {
    sla_policy_id: deadlines.slaPolicyId,
    tto_due_at: iso(deadlines.ttoDueAt),
    ttr_due_at: iso(deadlines.ttrDueAt),
    tto_warn_at: iso(deadlines.ttoWarnAt),
    ttr_warn_at: iso(deadlines.ttrWarnAt),
    tto_met_at: iso(ttoMetAt),
    sla_paused_minutes: pausedMinutes,
    sla_paused_since: iso(pausedSince),
    tto_warned: flags.tto_warning ? 1 : 0,
    tto_breached: flags.tto_breached ? 1 : 0,
    ttr_warned: flags.ttr_warning ? 1 : 0,
    ttr_breached: flags.ttr_breached ? 1 : 0,
    sla_next_check_at: iso(next),
    ttr_due_sort: open && deadlines.ttrDueAt ? deadlines.ttrDueAt.toISOString() : NO_DUE,
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

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

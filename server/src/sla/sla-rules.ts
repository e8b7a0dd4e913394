import type { IncidentStatus, PendingReason } from '../../../contract/incidents.ts';

/**
 * SLA rules, pure: which policy applies, the deadlines of an incident, and which escalations are due.
 * Business time comes in through `BusinessClock`, so these rules know nothing of calendars' storage.
 */
export interface BusinessClock {
  /** The instant when `minutes` business minutes have elapsed after `start`. */
  deadline(start: Date, minutes: number): Date;
  /** Business minutes between two instants. */
  minutesBetween(from: Date, to: Date): number;
}

export interface PolicyRules {
  id: number;
  orgId: number | null;
  serviceId: number | null;
  targets: { priority: number; ttoMinutes: number; ttrMinutes: number }[];
  pauseWhen: PendingReason[];
  warnAtPercent: number;
}

export type Escalation = 'tto_warning' | 'tto_breached' | 'ttr_warning' | 'ttr_breached';

/** The SLA columns an incident carries. */
export interface SlaState {
  slaPolicyId: number | null;
  ttoDueAt: Date | null;
  ttrDueAt: Date | null;
  ttoWarnAt: Date | null;
  ttrWarnAt: Date | null;
  ttoMetAt: Date | null;
  pausedMinutes: number;
  pausedSince: Date | null;
  flags: Record<Escalation, boolean>;
}

/** What happened to an incident that its SLA state depends on, whatever policy applies. */
export interface SlaHistory {
  /** The first assignment to an agent, take-over, public reply by the service desk or resolution. */
  firstOwnedAt: Date | null;
  /** Every stay in `pending`, oldest first; the last one has no end while the incident is still pending. */
  pending: PendingSpan[];
  /**
   * Every stay in `resolved` (then `closed`), oldest first; the last one has no end while the incident is
   * resolved or closed. A stay ended by a reopening never counts against TTR.
   */
  resolved: Span[];
}

export interface Span {
  from: Date;
  to: Date | null;
}

export interface PendingSpan extends Span {
  reason: PendingReason;
}

/** The facts an SLA state is computed from. */
export interface IncidentFacts extends SlaHistory {
  priority: number;
  reportedAt: Date;
  resolvedAt: Date | null;
}

/** SLAs apply from maturity level 2, unless the organization forces them on or off. */
export function slaApplies(org: { maturityLevel: number; slaEnabled: boolean | null }): boolean {
  return org.slaEnabled ?? org.maturityLevel >= 2;
}

/**
 * The most specific active policy: organization + service, then organization, then service, then default.
 * @example selectPolicy(policies, { orgId: 3, serviceId: null })
 */
export function selectPolicy<P extends Pick<PolicyRules, 'orgId' | 'serviceId'>>(policies: P[], at: { orgId: number; serviceId: number | null }): P | null {
  const rank = (p: P) => {
    if (p.orgId !== null && p.orgId !== at.orgId) return -1;
    if (p.serviceId !== null && p.serviceId !== at.serviceId) return -1;
    return (p.orgId !== null ? 2 : 0) + (p.serviceId !== null ? 1 : 0);
  };
  let best: P | null = null;
  let bestRank = -1;
  for (const p of policies) {
    const r = rank(p);
    if (r > bestRank) [best, bestRank] = [p, r];
  }
  return best;
}

/**
 * The history after a change made at `at`: the first ownership is kept once known, else it is `at` when the
 * incident now has an agent, is resolved, or the service desk has just answered publicly; a stay in
 * `pending` or `resolved` opens or closes with the status (`closed` continues the stay in `resolved`).
 * Returns `history` itself when nothing changed.
 * @example recordHistory({ firstOwnedAt: null, pending: [], resolved: [] }, { status: 'pending', pendingReason: 'customer', agentId: 4 }, at, false)
 */
export function recordHistory(
  history: SlaHistory,
  incident: { status: IncidentStatus; pendingReason: PendingReason | null; agentId: number | null },
  at: Date,
  answeredByStaff: boolean,
): SlaHistory {
  const done = incident.status === 'resolved' || incident.status === 'closed';
  const owned = incident.agentId !== null || answeredByStaff || done;
  const firstOwnedAt = history.firstOwnedAt ?? (owned ? at : null);

  let pending = history.pending;
  const lastPending = openSpan(pending);
  const reason = incident.status === 'pending' ? incident.pendingReason : null;
  if (lastPending && lastPending.reason !== reason) pending = [...pending.slice(0, -1), { ...lastPending, to: at }];
  if (reason && lastPending?.reason !== reason) pending = [...pending, { reason, from: at, to: null }];

  let resolved = history.resolved;
  const lastResolved = openSpan(resolved);
  if (lastResolved && !done) resolved = [...resolved.slice(0, -1), { ...lastResolved, to: at }];
  if (!lastResolved && done) resolved = [...resolved, { from: at, to: null }];

  const same = firstOwnedAt === history.firstOwnedAt && pending === history.pending && resolved === history.resolved;
  return same ? history : { firstOwnedAt, pending, resolved };
}

/**
 * Time not counted against TTR under a policy: business minutes of the ended stays in `pending` for a reason
 * the policy pauses on and of the ended stays in `resolved` (a reopened incident was not being worked on
 * while it sat resolved), each rounded to the minute; and the start of the current stay in `pending` if it
 * pauses (while resolved, TTR is stopped by the resolution itself). Counted from the history, so a policy
 * created or changed later pauses exactly as if it had always applied.
 */
export function pausedTime(policy: Pick<PolicyRules, 'pauseWhen'>, history: Pick<SlaHistory, 'pending' | 'resolved'>, clock: BusinessClock): { minutes: number; since: Date | null } {
  let minutes = 0;
  let since: Date | null = null;
  for (const span of history.pending) {
    if (!policy.pauseWhen.includes(span.reason)) continue;
    if (span.to === null) since = span.from;
    else minutes += Math.round(clock.minutesBetween(span.from, span.to));
  }
  for (const span of history.resolved) if (span.to !== null) minutes += Math.round(clock.minutesBetween(span.from, span.to));
  return { minutes, since };
}

/**
 * Deadlines from `reportedAt` with the policy's targets for the incident's priority, the TTR ones pushed back
 * by the business minutes spent paused. Recomputing after a change of priority keeps the paused time, as the
 * targets change but not the history.
 */
export function computeDeadlines(
  policy: PolicyRules | null,
  facts: Pick<IncidentFacts, 'priority' | 'reportedAt'>,
  pausedMinutes: number,
  clock: BusinessClock,
): Pick<SlaState, 'slaPolicyId' | 'ttoDueAt' | 'ttrDueAt' | 'ttoWarnAt' | 'ttrWarnAt'> {
  const target = policy?.targets.find((t) => t.priority === facts.priority);
  if (!policy || !target) return { slaPolicyId: policy?.id ?? null, ttoDueAt: null, ttrDueAt: null, ttoWarnAt: null, ttrWarnAt: null };
  const warn = (m: number) => Math.ceil((m * policy.warnAtPercent) / 100);
  return {
    slaPolicyId: policy.id,
    ttoDueAt: clock.deadline(facts.reportedAt, target.ttoMinutes),
    ttoWarnAt: clock.deadline(facts.reportedAt, warn(target.ttoMinutes)),
    ttrDueAt: clock.deadline(facts.reportedAt, target.ttrMinutes + pausedMinutes),
    ttrWarnAt: clock.deadline(facts.reportedAt, warn(target.ttrMinutes) + pausedMinutes),
  };
}

/**
 * The SLA state an incident's history gives under a policy (null: no SLA applies, and no flag is raised: the
 * timeline keeps the escalations recorded while one applied), whatever the order in which policies,
 * calendars and the incident were created: TTO met at the first ownership, pauses from the stays in
 * `pending` and earlier stays in `resolved`; while paused the TTR clock has no deadline. Escalations already
 * recorded stay recorded, unless their deadline now falls after the instant its clock stopped (owned;
 * resolved or paused) or after `now`: then that crossing has not happened (yet).
 */
export function slaState(policy: PolicyRules | null, clock: BusinessClock | null, facts: IncidentFacts, recorded: Record<Escalation, boolean>, now: Date): SlaState {
  if (!policy || !clock) {
    const flags = { tto_warning: false, tto_breached: false, ttr_warning: false, ttr_breached: false };
    return { slaPolicyId: null, ttoDueAt: null, ttrDueAt: null, ttoWarnAt: null, ttrWarnAt: null, ttoMetAt: null, pausedMinutes: 0, pausedSince: null, flags };
  }
  const flags = { ...recorded };
  const paused = pausedTime(policy, facts, clock);
  const deadlines = computeDeadlines(policy, facts, paused.minutes, clock);
  const ttoStop = facts.firstOwnedAt ?? now;
  const ttrStop = paused.since ?? facts.resolvedAt ?? now;
  const rearm = (kind: Escalation, at: Date | null, stop: Date) => {
    if (flags[kind] && at !== null && at.getTime() > stop.getTime()) flags[kind] = false;
  };
  rearm('tto_warning', deadlines.ttoWarnAt, ttoStop);
  rearm('tto_breached', deadlines.ttoDueAt, ttoStop);
  rearm('ttr_warning', deadlines.ttrWarnAt, ttrStop);
  rearm('ttr_breached', deadlines.ttrDueAt, ttrStop);
  const ttr = paused.since ? { ttrDueAt: null, ttrWarnAt: null } : {};
  return { ...deadlines, ...ttr, ttoMetAt: facts.firstOwnedAt, pausedMinutes: paused.minutes, pausedSince: paused.since, flags };
}

/**
 * Escalations whose instant has been crossed and not yet recorded. A clock stops at its end: TTO when the
 * incident was owned, TTR when resolved; an owned-late incident still records its TTO breach.
 */
export function dueEscalations(state: SlaState, resolvedAt: Date | null, now: Date): Escalation[] {
  const checks: [Escalation, Date | null, Date][] = [
    ['tto_warning', state.ttoWarnAt, state.ttoMetAt ?? now],
    ['tto_breached', state.ttoDueAt, state.ttoMetAt ?? now],
    ['ttr_warning', state.ttrWarnAt, resolvedAt ?? now],
    ['ttr_breached', state.ttrDueAt, resolvedAt ?? now],
  ];
  return checks.filter(([kind, at, end]) => !state.flags[kind] && at !== null && at.getTime() <= end.getTime()).map(([kind]) => kind);
}

/** The next instant at which `dueEscalations` may find something, or null when nothing can come. */
export function nextCheckAt(state: SlaState, resolvedAt: Date | null): Date | null {
  const candidates: [Escalation, Date | null, Date | null][] = [
    ['tto_warning', state.ttoWarnAt, state.ttoMetAt],
    ['tto_breached', state.ttoDueAt, state.ttoMetAt],
    ['ttr_warning', state.ttrWarnAt, resolvedAt],
    ['ttr_breached', state.ttrDueAt, resolvedAt],
  ];
  let next: number | null = null;
  for (const [kind, at, end] of candidates) {
    if (state.flags[kind] || at === null || (end !== null && at.getTime() > end.getTime())) continue;
    next = next === null ? at.getTime() : Math.min(next, at.getTime());
  }
  return next === null ? null : new Date(next);
}

function openSpan<S extends Span>(spans: readonly S[]): S | null {
  const last = spans.at(-1);
  return last && last.to === null ? last : null;
}

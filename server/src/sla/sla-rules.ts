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

export interface IncidentFacts {
  orgId: number;
  serviceId: number | null;
  priority: number;
  status: IncidentStatus;
  pendingReason: PendingReason | null;
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

export function isPaused(policy: Pick<PolicyRules, 'pauseWhen'> | null, status: IncidentStatus, reason: PendingReason | null): boolean {
  return policy !== null && status === 'pending' && reason !== null && policy.pauseWhen.includes(reason);
}

/**
 * Deadlines from `reportedAt` with the policy's targets for the incident's priority, pushed back by the
 * business minutes spent paused. While paused the TTR clock has no deadline. Recomputing after a change of
 * priority keeps the paused time, as the targets change but not the history.
 */
export function computeDeadlines(
  policy: PolicyRules | null,
  facts: IncidentFacts,
  paused: { minutes: number; since: Date | null },
  clock: BusinessClock,
): Pick<SlaState, 'slaPolicyId' | 'ttoDueAt' | 'ttrDueAt' | 'ttoWarnAt' | 'ttrWarnAt'> {
  const target = policy?.targets.find((t) => t.priority === facts.priority);
  if (!policy || !target) return { slaPolicyId: policy?.id ?? null, ttoDueAt: null, ttrDueAt: null, ttoWarnAt: null, ttrWarnAt: null };
  const warn = (m: number) => Math.ceil((m * policy.warnAtPercent) / 100);
  const running = paused.since === null;
  return {
    slaPolicyId: policy.id,
    ttoDueAt: clock.deadline(facts.reportedAt, target.ttoMinutes),
    ttoWarnAt: clock.deadline(facts.reportedAt, warn(target.ttoMinutes)),
    ttrDueAt: running ? clock.deadline(facts.reportedAt, target.ttrMinutes + paused.minutes) : null,
    ttrWarnAt: running ? clock.deadline(facts.reportedAt, warn(target.ttrMinutes) + paused.minutes) : null,
  };
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

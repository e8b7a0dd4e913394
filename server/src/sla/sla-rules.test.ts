import { describe, expect, it } from 'vitest';
import { type BusinessClock, computeDeadlines, dueEscalations, type IncidentFacts, isPaused, nextCheckAt, type PolicyRules, selectPolicy, type SlaState, slaApplies } from './sla-rules.ts';

// Around the clock: one business minute is one minute. Calendars themselves are tested in business-time.test.ts.
const allDay: BusinessClock = {
  deadline: (start, minutes) => new Date(start.getTime() + minutes * 60_000),
  minutesBetween: (from, to) => Math.max(0, (to.getTime() - from.getTime()) / 60_000),
};

const policy: PolicyRules = {
  id: 1,
  orgId: null,
  serviceId: null,
  targets: [
    { priority: 1, ttoMinutes: 15, ttrMinutes: 240 },
    { priority: 3, ttoMinutes: 60, ttrMinutes: 1440 },
  ],
  pauseWhen: ['customer'],
  warnAtPercent: 75,
};

const T0 = new Date('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const facts = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  orgId: 1, serviceId: null, priority: 1, status: 'new', pendingReason: null, reportedAt: T0, resolvedAt: null, ...over,
});
const noFlags = { tto_warning: false, tto_breached: false, ttr_warning: false, ttr_breached: false };

function state(over: Partial<SlaState> = {}): SlaState {
  const d = computeDeadlines(policy, facts(), { minutes: 0, since: null }, allDay);
  return { ...d, ttoMetAt: null, pausedMinutes: 0, pausedSince: null, flags: { ...noFlags }, ...over };
}

describe('which SLA applies', () => {
  it.each([
    [1, null, false], [2, null, true], [4, null, true], [1, true, true], [3, false, false],
  ] as const)('maturity %i with override %s → %s', (maturityLevel, slaEnabled, expected) => {
    expect(slaApplies({ maturityLevel, slaEnabled })).toBe(expected);
  });

  const p = (id: number, orgId: number | null, serviceId: number | null) => ({ id, orgId, serviceId });
  const all = [p(1, null, null), p(2, null, 7), p(3, 5, null), p(4, 5, 7), p(5, 6, null)];
  it.each([
    [{ orgId: 5, serviceId: 7 }, 4],
    [{ orgId: 5, serviceId: 8 }, 3],
    [{ orgId: 9, serviceId: 7 }, 2],
    [{ orgId: 9, serviceId: null }, 1],
    [{ orgId: 6, serviceId: 7 }, 5],
  ])('the most specific policy for %o is %i', (incident, id) => {
    expect(selectPolicy(all, incident)?.id).toBe(id);
  });

  it('has no policy when none matches', () => {
    expect(selectPolicy([p(3, 5, null)], { orgId: 9, serviceId: null })).toBeNull();
  });
});

describe('deadlines', () => {
  it('counts from reportedAt with the targets of the priority, warnings at the percentage', () => {
    expect(computeDeadlines(policy, facts(), { minutes: 0, since: null }, allDay)).toEqual({
      slaPolicyId: 1, ttoDueAt: at(15), ttoWarnAt: at(12), ttrDueAt: at(240), ttrWarnAt: at(180),
    });
  });

  it('has no deadline for a priority without a target', () => {
    expect(computeDeadlines(policy, facts({ priority: 2 }), { minutes: 0, since: null }, allDay)).toMatchObject({ slaPolicyId: 1, ttoDueAt: null, ttrDueAt: null });
  });

  it('moves the TTR deadline by the paused minutes and suspends it while paused', () => {
    expect(computeDeadlines(policy, facts(), { minutes: 30, since: null }, allDay).ttrDueAt).toEqual(at(270));
    expect(computeDeadlines(policy, facts(), { minutes: 30, since: at(100) }, allDay)).toMatchObject({ ttrDueAt: null, ttrWarnAt: null, ttoDueAt: at(15) });
  });

  it('recomputes from reportedAt with the new targets when the priority changes, keeping paused time', () => {
    expect(computeDeadlines(policy, facts({ priority: 3 }), { minutes: 30, since: null }, allDay)).toMatchObject({ ttoDueAt: at(60), ttrDueAt: at(1470) });
  });

  it.each([
    ['pending', 'customer', true], ['pending', 'vendor', false], ['in_progress', null, false],
  ] as const)('%s for %s pauses: %s', (status, reason, paused) => {
    expect(isPaused(policy, status, reason)).toBe(paused);
  });
});

describe('escalations', () => {
  it('finds nothing before the warning, then the warning, then the breach — each once', () => {
    const s = state();
    expect(dueEscalations(s, null, at(11))).toEqual([]);
    expect(dueEscalations(s, null, at(12))).toEqual(['tto_warning']);
    expect(dueEscalations(s, null, at(200))).toEqual(['tto_warning', 'tto_breached', 'ttr_warning']);
    expect(dueEscalations({ ...s, flags: { ...noFlags, tto_warning: true, tto_breached: true } }, null, at(200))).toEqual(['ttr_warning']);
  });

  it('stops the TTO clock when the incident is owned, yet records a late ownership as a breach', () => {
    expect(dueEscalations(state({ ttoMetAt: at(5) }), null, at(100))).toEqual([]);
    expect(dueEscalations(state({ ttoMetAt: at(20) }), null, at(21))).toEqual(['tto_warning', 'tto_breached']);
  });

  it('stops the TTR clock at resolution', () => {
    expect(dueEscalations(state({ ttoMetAt: at(1) }), at(100), at(1000))).toEqual([]);
  });

  it('schedules the next check at the earliest pending instant, and none once all is settled', () => {
    expect(nextCheckAt(state(), null)).toEqual(at(12));
    expect(nextCheckAt(state({ ttoMetAt: at(5) }), null)).toEqual(at(180));
    expect(nextCheckAt(state({ ttoMetAt: at(5) }), at(100))).toBeNull();
    expect(nextCheckAt(state({ ttoMetAt: at(20), flags: { ...noFlags, tto_warning: true } }), null)).toEqual(at(15));
  });
});

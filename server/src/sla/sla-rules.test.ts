import { describe, expect, it } from 'vitest';
import {
  type BusinessClock, computeDeadlines, dueEscalations, type IncidentFacts, nextCheckAt, pausedTime, type PendingSpan, type PolicyRules, recordHistory, selectPolicy, type SlaHistory, type SlaState,
  slaApplies, slaState,
} from './sla-rules.ts';
import { CompiledCalendar } from './business-time.ts';

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
  priority: 1, reportedAt: T0, resolvedAt: null, firstOwnedAt: null, pending: [], resolved: [], ...over,
});
const noFlags = { tto_warning: false, tto_breached: false, ttr_warning: false, ttr_breached: false };

function state(over: Partial<SlaState> = {}): SlaState {
  const d = computeDeadlines(policy, facts(), 0, allDay);
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
    expect(computeDeadlines(policy, facts(), 0, allDay)).toEqual({
      slaPolicyId: 1, ttoDueAt: at(15), ttoWarnAt: at(12), ttrDueAt: at(240), ttrWarnAt: at(180),
    });
  });

  it('has no deadline for a priority without a target', () => {
    expect(computeDeadlines(policy, facts({ priority: 2 }), 0, allDay)).toMatchObject({ slaPolicyId: 1, ttoDueAt: null, ttrDueAt: null });
  });

  it('moves the TTR deadlines by the paused minutes, not the TTO ones', () => {
    expect(computeDeadlines(policy, facts(), 30, allDay)).toMatchObject({ ttoDueAt: at(15), ttrWarnAt: at(210), ttrDueAt: at(270) });
  });

  it('recomputes from reportedAt with the new targets when the priority changes, keeping paused time', () => {
    expect(computeDeadlines(policy, facts({ priority: 3 }), 30, allDay)).toMatchObject({ ttoDueAt: at(60), ttrDueAt: at(1470) });
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

describe('SLA history', () => {
  const none: SlaHistory = { firstOwnedAt: null, pending: [], resolved: [] };
  const incident = (status: 'new' | 'assigned' | 'in_progress' | 'pending' | 'resolved' | 'closed', agentId: number | null = null, pendingReason: 'customer' | 'vendor' | null = null) => ({ status, agentId, pendingReason });

  it.each([
    ['an agent set', incident('assigned', 7), false, at(5)],
    ['a take-over', incident('in_progress', 7), false, at(5)],
    ['a public answer by the service desk', incident('new'), true, at(5)],
    ['a resolution (first-contact resolution)', incident('resolved'), false, at(5)],
    ['a team only', incident('assigned'), false, null],
    ['a requester reply or a field change', incident('new'), false, null],
  ] as const)('owns the incident at %s: %s', (_, state, answered, expected) => {
    expect(recordHistory(none, state, at(5), answered).firstOwnedAt).toEqual(expected);
  });

  it('keeps the first ownership: unassigning, reassigning or answering again changes nothing', () => {
    const owned = recordHistory(none, incident('assigned', 7), at(5), false);
    expect(recordHistory(owned, incident('assigned'), at(9), false)).toBe(owned);
    expect(recordHistory(owned, incident('in_progress', 8), at(20), true).firstOwnedAt).toEqual(at(5));
  });

  it('opens a stay in pending with its reason and closes it when the status moves on, however it moves', () => {
    let h = recordHistory(none, incident('in_progress', 7), at(5), false);
    h = recordHistory(h, incident('pending', 7, 'customer'), at(10), false);
    expect(h.pending).toEqual([{ reason: 'customer', from: at(10), to: null }]);
    expect(recordHistory(h, incident('pending', 7, 'customer'), at(12), false)).toBe(h); // a field change while pending
    h = recordHistory(h, incident('in_progress', 7), at(40), false); // the requester replied
    h = recordHistory(h, incident('pending', 7, 'vendor'), at(50), false);
    h = recordHistory(h, incident('resolved', 7), at(90), false); // resolved with its parent
    expect(h.pending).toEqual([
      { reason: 'customer', from: at(10), to: at(40) },
      { reason: 'vendor', from: at(50), to: at(90) },
    ]);
  });

  it('opens a stay in resolved at the resolution, continued by closing, ended by a reopening', () => {
    let h = recordHistory(none, incident('resolved', 7), at(10), false);
    expect(h.resolved).toEqual([{ from: at(10), to: null }]);
    expect(recordHistory(h, incident('resolved', 7), at(12), false)).toBe(h); // a field change while resolved
    h = recordHistory(h, incident('in_progress', 7), at(4330), false); // reopened three days later
    h = recordHistory(h, incident('resolved', 7), at(4400), false);
    h = recordHistory(h, incident('closed', 7), at(9000), false);
    expect(h.resolved).toEqual([{ from: at(10), to: at(4330) }, { from: at(4400), to: null }]);
    expect(h.pending).toEqual([]);
  });
});

describe('SLA state from the history', () => {
  const span = (reason: PendingSpan['reason'], from: number, to: number | null): PendingSpan => ({ reason, from: at(from), to: to === null ? null : at(to) });
  const spans = [span('customer', 20, 50), span('vendor', 60, 100), span('change', 110, 130), span('customer', 150, null)];

  it.each([
    // [pauseWhen, ended paused minutes, paused since]
    [['customer'], 30, at(150)],
    [['vendor'], 40, null],
    [['customer', 'vendor'], 70, at(150)],
    [['vendor', 'change', 'other'], 60, null],
    [[], 0, null],
  ] as const)('pausing on %j counts %i minutes of the ended stays, paused since %s', (pauseWhen, minutes, since) => {
    expect(pausedTime({ pauseWhen: [...pauseWhen] }, { pending: spans, resolved: [] }, allDay)).toEqual({ minutes, since });
  });

  it('counts pauses in business minutes, stay by stay', () => {
    // Mon–Fri 09:00–17:00 UTC: Friday 16:00 → Monday 10:00 is two business hours.
    const office = new CompiledCalendar({ timezone: 'UTC', hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' })), holidays: [] });
    const clock: BusinessClock = { deadline: (s, m) => office.deadline(s, m), minutesBetween: (f, t) => office.businessMinutes(f, t) };
    const weekend: PendingSpan = { reason: 'customer', from: new Date('2026-03-06T16:00:00Z'), to: new Date('2026-03-09T10:00:00Z') };
    expect(pausedTime(policy, { pending: [weekend], resolved: [] }, clock)).toEqual({ minutes: 120, since: null });
    expect(pausedTime({ pauseWhen: [] }, { pending: [], resolved: [weekend] }, clock)).toEqual({ minutes: 120, since: null });
  });

  it('gives the same state whichever pauseWhen applied while the history was written', () => {
    const history = facts({ firstOwnedAt: at(5), pending: spans.slice(0, 3) });
    const vendorToo = { ...policy, pauseWhen: ['customer', 'vendor'] as PolicyRules['pauseWhen'] };
    const state = slaState(vendorToo, allDay, history, noFlags, at(200));
    expect(state).toMatchObject({ pausedMinutes: 70, pausedSince: null, ttrDueAt: at(240 + 70), ttoMetAt: at(5) });
    expect(slaState(policy, allDay, history, noFlags, at(200))).toMatchObject({ pausedMinutes: 30, ttrDueAt: at(270) });
  });

  it('meets TTO at the first ownership even when the policy came weeks later, with no warning or breach', () => {
    const history = facts({ firstOwnedAt: at(5) });
    const weeksLater = at(60 * 24 * 36);
    const state = slaState(policy, allDay, history, noFlags, weeksLater);
    expect(state).toMatchObject({ slaPolicyId: 1, ttoDueAt: at(15), ttoMetAt: at(5) });
    expect(dueEscalations(state, null, weeksLater)).toEqual(['ttr_warning', 'ttr_breached']);
  });

  it('suspends TTR while still paused and stops it at resolution; a reopened incident runs again', () => {
    const pending = facts({ firstOwnedAt: at(5), pending: [span('customer', 30, null)] });
    expect(slaState(policy, allDay, pending, noFlags, at(100))).toMatchObject({ pausedMinutes: 0, pausedSince: at(30), ttrDueAt: null });
    const resolved = facts({ firstOwnedAt: at(5), pending: [span('customer', 30, 90)], resolvedAt: at(200), resolved: [{ from: at(200), to: null }] });
    const state = slaState(policy, allDay, resolved, noFlags, at(1000));
    expect(state).toMatchObject({ pausedMinutes: 60, pausedSince: null, ttrDueAt: at(300) });
    expect(dueEscalations(state, at(200), at(1000))).toEqual([]);
    // Reopened at 1000: the 800 minutes it sat resolved do not count, 40 minutes of TTR are left.
    const reopened = slaState(policy, allDay, { ...resolved, resolvedAt: null, resolved: [{ from: at(200), to: at(1000) }] }, noFlags, at(1000));
    expect(reopened).toMatchObject({ pausedMinutes: 860, ttrWarnAt: at(180 + 860), ttrDueAt: at(240 + 860) });
    expect(dueEscalations(reopened, null, at(1000))).toEqual([]);
    expect(dueEscalations(reopened, null, at(1100))).toEqual(['ttr_warning', 'ttr_breached']);
  });

  it('counts a stay in resolved as paused whatever the policy pauses on, and keeps a breach crossed before it', () => {
    // TTR 240 (priority 1) around the clock, resolved after 10 minutes, reopened three days later.
    const reopened = facts({ firstOwnedAt: at(5), resolved: [{ from: at(10), to: at(10 + 3 * 1440) }] });
    const state = slaState({ ...policy, pauseWhen: [] }, allDay, reopened, noFlags, at(10 + 3 * 1440));
    expect(state).toMatchObject({ pausedMinutes: 3 * 1440, pausedSince: null, ttrDueAt: at(240 + 3 * 1440) });
    expect(dueEscalations(state, null, at(10 + 3 * 1440))).toEqual([]);
    // Breached at 240, resolved at 300, reopened at 1000: the breach happened before the resolution.
    const late = facts({ firstOwnedAt: at(5), resolved: [{ from: at(300), to: at(1000) }] });
    const breached = { ...noFlags, ttr_warning: true, ttr_breached: true };
    expect(slaState(policy, allDay, late, breached, at(1000)).flags).toEqual(breached);
  });

  it('keeps recorded escalations, unless their deadline now falls after the clock stopped or after now', () => {
    const breached = { tto_warning: true, tto_breached: true, ttr_warning: true, ttr_breached: true };
    // Owned at 20 with TTO 15 (priority 1): breached. Priority 3 (TTO 60) makes it met; TTR 1440 is not due yet.
    expect(slaState(policy, allDay, facts({ priority: 3, firstOwnedAt: at(20) }), breached, at(300)).flags).toEqual(noFlags);
    // Still priority 1: the crossings stand.
    expect(slaState(policy, allDay, facts({ firstOwnedAt: at(20) }), breached, at(300)).flags).toEqual(breached);
    // TTR paused after its deadline: the crossings stand; paused before it (pauseWhen now includes the
    // reason), they never happened.
    expect(slaState(policy, allDay, facts({ firstOwnedAt: at(20), pending: [span('customer', 250, null)] }), breached, at(300)).flags).toEqual(breached);
    expect(slaState(policy, allDay, facts({ firstOwnedAt: at(20), pending: [span('customer', 100, null)] }), breached, at(300)).flags).toEqual({ ...breached, ttr_breached: false, ttr_warning: false });
  });

  it('has an empty state when no policy applies, with no flag left raised (the timeline keeps the escalations)', () => {
    const recorded = { ...noFlags, tto_breached: true };
    expect(slaState(null, null, facts({ firstOwnedAt: at(5), pending: spans }), recorded, at(300))).toEqual({
      slaPolicyId: null, ttoDueAt: null, ttrDueAt: null, ttoWarnAt: null, ttrWarnAt: null, ttoMetAt: null, pausedMinutes: 0, pausedSince: null, flags: noFlags,
    });
  });
});

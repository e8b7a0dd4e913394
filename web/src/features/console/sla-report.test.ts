import { describe, expect, it } from 'vitest';
import { compliance, complianceColor, groupByOrganization, periodRange, type ReportRow } from './sla-report.ts';

const now = new Date(2026, 10, 27, 15, 30); // 27 November 2026, local time

describe('report periods', () => {
  it('this month and last month, in local time, end excluded', () => {
    expect(periodRange('this', now, { from: '', to: '' })).toEqual({ from: new Date(2026, 10, 1).toISOString(), to: new Date(2026, 11, 1).toISOString() });
    expect(periodRange('last', now, { from: '', to: '' })).toEqual({ from: new Date(2026, 9, 1).toISOString(), to: new Date(2026, 10, 1).toISOString() });
  });

  it('January looks back to December of the year before', () => {
    expect(periodRange('last', new Date(2027, 0, 10), { from: '', to: '' })?.from).toBe(new Date(2026, 11, 1).toISOString());
  });

  it.each([
    [{ from: '2026-11-01', to: '2026-11-15' }, { from: new Date(2026, 10, 1).toISOString(), to: new Date(2026, 10, 16).toISOString() }],
    [{ from: '2026-11-15', to: '2026-11-15' }, { from: new Date(2026, 10, 15).toISOString(), to: new Date(2026, 10, 16).toISOString() }],
    [{ from: '2026-11-16', to: '2026-11-15' }, null],
    [{ from: '', to: '2026-11-15' }, null],
  ])('custom %o includes both days', (custom, expected) => {
    expect(periodRange('custom', now, custom)).toEqual(expected);
  });
});

describe('compliance', () => {
  it.each([
    [0, 0, null],
    [3, 0, 100],
    [2, 1, 66.7],
    [19, 1, 95],
  ])('%i met, %i breached → %s', (met, breached, expected) => {
    expect(compliance(met, breached)).toBe(expected);
  });

  it.each([
    [100, 'green'],
    [95, 'green'],
    [94.9, 'orange'],
    [80, 'orange'],
    [79.9, 'red'],
  ])('%d %% is %s', (value, color) => {
    expect(complianceColor(value)).toBe(color);
  });
});

describe('grouping by organization', () => {
  const row = (orgId: number, priority: number, ttoMet: number, ttoBreached: number): ReportRow => ({
    orgId,
    priority,
    incidents: ttoMet + ttoBreached + 1,
    ttoMet,
    ttoBreached,
    ttrMet: 0,
    ttrBreached: 0,
    ttoCompliance: compliance(ttoMet, ttoBreached),
    ttrCompliance: null,
  });

  it('orders organizations as asked, priorities ascending, with totals over every priority', () => {
    const names: Record<number, string> = { 1: 'Zeta', 2: 'Alpha' };
    const groups = groupByOrganization([row(1, 3, 1, 0), row(2, 2, 3, 1), row(2, 1, 1, 0)], (a, b) => names[a]!.localeCompare(names[b]!));
    expect(groups.map((g) => [g.orgId, g.rows.map((r) => r.priority)])).toEqual([
      [2, [1, 2]],
      [1, [3]],
    ]);
    expect(groups[0]!.total).toMatchObject({ incidents: 7, ttoMet: 4, ttoBreached: 1, ttoCompliance: 80, ttrCompliance: null });
  });
});

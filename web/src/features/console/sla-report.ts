/** Pure rules of the SLA report page: periods, per-organization totals and compliance colors. No I/O. */

export type Period = 'this' | 'last' | 'custom';

export interface ReportRow {
  orgId: number;
  priority: number;
  incidents: number;
  ttoMet: number;
  ttoBreached: number;
  ttrMet: number;
  ttrBreached: number;
  ttoCompliance: number | null;
  ttrCompliance: number | null;
}

/** At or above: on target (green). */
export const COMPLIANCE_GOOD = 95;
/** At or above, below GOOD: at risk (orange); below: missed (red). */
export const COMPLIANCE_FAIR = 80;

/**
 * The instants a period covers, `to` excluded, in the browser's time zone: this month, last month, or
 * whole days from `custom.from` to `custom.to` (both included, `YYYY-MM-DD`). Null when the custom
 * dates are missing or reversed.
 */
export function periodRange(period: Period, now: Date, custom: { from: string; to: string }): { from: string; to: string } | null {
  const month = (delta: number) => new Date(now.getFullYear(), now.getMonth() + delta, 1);
  switch (period) {
    case 'this':
      return { from: month(0).toISOString(), to: month(1).toISOString() };
    case 'last':
      return { from: month(-1).toISOString(), to: month(0).toISOString() };
    case 'custom': {
      const from = localDay(custom.from, 0);
      const to = localDay(custom.to, 1);
      return from && to && from < to ? { from: from.toISOString(), to: to.toISOString() } : null;
    }
  }
}

/** Percentage met among incidents with a verdict, one decimal, as the API computes it; null without verdict. */
export function compliance(met: number, breached: number): number | null {
  return met + breached === 0 ? null : Math.round((met / (met + breached)) * 1000) / 10;
}

export function complianceColor(value: number): 'green' | 'orange' | 'red' {
  return value >= COMPLIANCE_GOOD ? 'green' : value >= COMPLIANCE_FAIR ? 'orange' : 'red';
}

/**
 * Rows grouped by organization (in the order of `orgOrder`, e.g. by name), priorities ascending, each group
 * with its total over every priority.
 */
export function groupByOrganization<R extends ReportRow>(rows: R[], orgOrder: (a: number, b: number) => number): { orgId: number; rows: R[]; total: ReportRow }[] {
  const groups = new Map<number, R[]>();
  for (const r of rows) groups.set(r.orgId, [...(groups.get(r.orgId) ?? []), r]);
  return [...groups.keys()].sort(orgOrder).map((orgId) => {
    const own = groups.get(orgId)!.sort((a, b) => a.priority - b.priority);
    return { orgId, rows: own, total: total(orgId, own) };
  });
}

function total(orgId: number, rows: ReportRow[]): ReportRow {
  const sum = (k: 'incidents' | 'ttoMet' | 'ttoBreached' | 'ttrMet' | 'ttrBreached') => rows.reduce((n, r) => n + r[k], 0);
  const [ttoMet, ttoBreached, ttrMet, ttrBreached] = [sum('ttoMet'), sum('ttoBreached'), sum('ttrMet'), sum('ttrBreached')];
  return {
    orgId,
    priority: 0,
    incidents: sum('incidents'),
    ttoMet,
    ttoBreached,
    ttrMet,
    ttrBreached,
    ttoCompliance: compliance(ttoMet, ttoBreached),
    ttrCompliance: compliance(ttrMet, ttrBreached),
  };
}

/** Local midnight of a `YYYY-MM-DD` day, plus `plusDays`; null when not a date. */
function localDay(day: string, plusDays: number): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? null : d;
}

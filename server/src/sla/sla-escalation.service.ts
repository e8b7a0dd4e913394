import type { Ctx } from '../context.ts';
import { appendEvent } from '../events/event.repository.ts';
import { claimForSlaCheck, findDueForSlaCheck, updateIncident } from '../incidents/incident.repository.ts';
import { incidentRef } from '../incidents/incident.mapper.ts';
import { appendTimeline } from '../timeline/timeline.repository.ts';
import { currentFlags } from './incident-sla.service.ts';
import { dueEscalations, type Escalation, nextCheckAt, type SlaState } from './sla-rules.ts';

const BATCH = 500;
// A run handles at most this many batches, so one job run stays bounded even after a long outage.
const MAX_ROUNDS = 20;
const FLAG_COLUMN = { tto_warning: 'tto_warned', tto_breached: 'tto_breached', ttr_warning: 'ttr_warned', ttr_breached: 'ttr_breached' } as const;

/**
 * Records every SLA escalation whose instant has passed: one timeline event and one domain event per
 * crossing, with its flag, in one transaction per incident. Safe on several nodes: an incident is claimed
 * with a row lock (skipped by others) and re-checked inside the transaction, so each crossing is written once.
 * @returns how many escalations were recorded
 */
export async function processDueEscalations(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  let recorded = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ids = await findDueForSlaCheck(ctx.db, at, BATCH);
    recorded += await processBatch(ctx, ids, now);
    if (ids.length < BATCH) break;
  }
  return recorded;
}

async function processBatch(ctx: Ctx, ids: number[], now: Date): Promise<number> {
  const at = now.toISOString();
  let recorded = 0;
  for (const id of ids) {
    recorded += await ctx.db.transaction().execute(async (trx) => {
      const row = await claimForSlaCheck(trx, id, at);
      if (!row) return 0;
      const state: SlaState = {
        slaPolicyId: row.sla_policy_id,
        ttoDueAt: date(row.tto_due_at),
        ttrDueAt: date(row.ttr_due_at),
        ttoWarnAt: date(row.tto_warn_at),
        ttrWarnAt: date(row.ttr_warn_at),
        ttoMetAt: date(row.tto_met_at),
        pausedMinutes: row.sla_paused_minutes,
        pausedSince: date(row.sla_paused_since),
        flags: currentFlags(row),
      };
      const resolvedAt = date(row.resolved_at);
      const due = dueEscalations(state, resolvedAt, now);
      for (const kind of due) state.flags[kind] = true;
      const next = nextCheckAt(state, resolvedAt);
      await updateIncident(trx, id, {
        ...Object.fromEntries(due.map((kind) => [FLAG_COLUMN[kind], 1])),
        sla_next_check_at: next ? next.toISOString() : null,
      });
      if (due.length === 0) return 0;
      await appendTimeline(
        trx,
        due.map((kind) => ({ orgId: row.org_id, incidentId: id, kind: 'event' as const, visibility: 'internal' as const, authorId: null, event: `sla_${kind}`, changes: [{ field: kind, from: null, to: instantOf(state, kind) }] })),
        at,
      );
      for (const kind of due) {
        await appendEvent(trx, { type: `sla.${kind}`, orgId: row.org_id, aggregateType: 'incident', aggregateId: id, actorId: null, payload: { ref: incidentRef(id), priority: row.priority, at: instantOf(state, kind) } }, at);
      }
      return due.length;
    });
  }
  return recorded;
}

function instantOf(s: SlaState, kind: Escalation): string | null {
  const d = { tto_warning: s.ttoWarnAt, tto_breached: s.ttoDueAt, ttr_warning: s.ttrWarnAt, ttr_breached: s.ttrDueAt }[kind];
  return d ? d.toISOString() : null;
}

function date(s: string | null): Date | null {
  return s ? new Date(s) : null;
}

import type { IncidentStatus, TransitionBody } from '../../../contract/incidents.ts';
import type { Ctx } from '../context.ts';
import type { Trx } from '../db/database.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError } from '../http/errors.ts';
import { diff } from '../lib/diff.ts';
import { type Actor, isStaff } from '../tenancy/scope.ts';
import { appendTimeline, type NewTimelineEntry } from '../timeline/timeline.repository.ts';
import { refreshIncidentSla } from '../sla/incident-sla.service.ts';
import { toIncident } from './incident.mapper.ts';
import * as repo from './incident.repository.ts';
import { checkReferences, loadForChange, presentOne, updateIncident } from './incident.service.ts';
import { checkTransition, isReopen } from './incident-lifecycle.ts';

/** What a requester may do from the portal: confirm a resolution, or say it is not fixed. */
const REQUESTER_TRANSITIONS: [IncidentStatus, IncidentStatus][] = [
  ['resolved', 'closed'],
  ['resolved', 'in_progress'],
];

/**
 * Moves an incident along its lifecycle. 409 for a transition the lifecycle does not allow, 422 for a
 * missing field. Resolving a parent resolves its open children with the same resolution.
 */
export async function transitionIncident(ctx: Ctx, actor: Actor, id: number, input: TransitionBody) {
  if (input.to === 'assigned' && (input.teamId || input.agentId)) {
    // Assignment is a field change that moves `new` to `assigned`; it shares the rules of PATCH.
    const current = await repo.findVisibleIncident(ctx.db, actor, id);
    if (current && current.status !== 'new') throw invalid(current.status as IncidentStatus, 'assigned', ['in_progress', 'pending', 'resolved']);
    return updateIncident(ctx, actor, id, { teamId: input.teamId, agentId: input.agentId });
  }
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await loadForChange(trx, actor, id);
    const from = before.status as IncidentStatus;
    if (!isStaff(actor) && !REQUESTER_TRANSITIONS.some(([f, t]) => f === from && t === input.to)) {
      throw AppError.forbidden('Requesters may only confirm a resolution or reopen a resolved incident');
    }
    const check = checkTransition(from, input.to, { ...input, teamId: before.team_id, agentId: before.agent_id });
    if (!check.ok && check.reason === 'invalid_transition') throw invalid(from, input.to, check.allowed);
    if (!check.ok) throw AppError.validation(check.errors, `Missing fields to move to ${input.to}`);
    if (input.agentId) {
      const errors = await checkReferences(trx, actor, before.org_id, { agentId: input.agentId }, before);
      if (errors.length > 0) throw AppError.validation(errors);
    }
    const changed = await applyTransition(trx, actor, before, input, now);
    if (input.to === 'resolved') {
      for (const child of await repo.findOpenChildren(trx, actor, id)) {
        await applyTransition(trx, actor, child, { to: 'resolved', resolutionCode: input.resolutionCode, resolution: input.resolution }, now, id);
      }
    }
    return presentOne(trx, actor, changed);
  });
}

async function applyTransition(trx: Trx, actor: Actor, before: repo.IncidentRow, input: TransitionBody, now: string, viaParent?: number) {
  const from = before.status as IncidentStatus;
  const to = input.to;
  const takeIt = to === 'in_progress' && before.agent_id === null && isStaff(actor);
  const row = await repo.updateIncident(trx, before.id, {
    status: to,
    pending_reason: to === 'pending' ? input.pendingReason : null,
    ...(to === 'resolved' && { resolution_code: input.resolutionCode, resolution: input.resolution, resolved_at: now }),
    ...(isReopen(from, to) && { reopen_count: before.reopen_count + 1, resolution_code: null, resolution: null, resolved_at: null }),
    ...(to === 'closed' && { closed_at: now }),
    ...(takeIt && { agent_id: input.agentId ?? actor.userId }),
    ...(!isStaff(actor) && { last_customer_update_at: now }),
    updated_at: now,
  });
  const changes = diff(toIncident(before, []), toIncident(row, []));
  const refreshed = await refreshIncidentSla(trx, row, new Date(now), { answeredByStaff: isStaff(actor) && Boolean(input.comment) });
  const entries: NewTimelineEntry[] = [
    { orgId: row.org_id, incidentId: row.id, kind: 'event', visibility: 'public', authorId: actor.userId, event: viaParent ? 'resolved_with_parent' : 'status_changed', changes },
  ];
  if (input.comment) entries.push({ orgId: row.org_id, incidentId: row.id, kind: 'reply', visibility: 'public', authorId: actor.userId, body: input.comment });
  await appendTimeline(trx, entries, now);
  await appendEvent(
    trx,
    { type: 'incident.status_changed', orgId: row.org_id, aggregateType: 'incident', aggregateId: row.id, actorId: actor.userId, payload: { from, to, changes, ...(viaParent && { parentId: viaParent }) } },
    now,
  );
  return refreshed;
}

function invalid(from: IncidentStatus, to: IncidentStatus, allowed: readonly IncidentStatus[]) {
  const next = allowed.length > 0 ? `allowed from ${from}: ${allowed.join(', ')}` : `${from} is final`;
  return new AppError('incident.invalid_transition', 409, `Cannot go from ${from} to ${to} (${next}).`);
}

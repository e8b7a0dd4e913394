import { isCanonicalTimestamp } from '../../../contract/common.ts';
import type { Channel, CreateIncidentBody, Incident, IncidentListQuery, IncidentStatus, UpdateIncidentBody } from '../../../contract/incidents.ts';
import type { Ctx } from '../context.ts';
import type { Executor, Trx } from '../db/database.ts';
import { appendEvent } from '../events/event.repository.ts';
import { AppError, type FieldError } from '../http/errors.ts';
import { decodeCursor, invalidCursor, toPage } from '../lib/cursor.ts';
import { diff } from '../lib/diff.ts';
import { getOrganization } from '../organizations/organization.repository.ts';
import { getPerson, namesOfPeople } from '../people/person.repository.ts';
import { getService } from '../services/service.repository.ts';
import { getTeam, isTeamMember } from '../teams/team.repository.ts';
import { type Actor, assertInScope, inScope, isStaff, MANAGERS, requireRole, STAFF } from '../tenancy/scope.ts';
import { appendTimeline, type NewTimelineEntry } from '../timeline/timeline.repository.ts';
import { findUserById } from '../users/user.repository.ts';
import { toIncident } from './incident.mapper.ts';
import * as repo from './incident.repository.ts';
import { refreshIncidentSla } from '../sla/incident-sla.service.ts';
import { computePriority, type PriorityMatrix } from './priority.ts';
import { forRequester, staffOnlyParameters } from './requester-view.ts';

const REQUESTER_CHANNELS: Channel[] = ['portal', 'email', 'api'];

/**
 * Incidents link one level deep, counting every link (a major incident may span organizations). The parent's own
 * parent or this incident's children may be out of the actor's sight, so both refusals share this wording, which
 * names no record: it reads the same whether the actor sees the link that forbids it or not.
 */
const ONE_LEVEL = 'Incidents link one level deep: the parent cannot be a child, nor this incident a parent';

/** Logs an incident from any channel. A requester's organization and caller are implied; agents name them. */
export async function createIncident(ctx: Ctx, actor: Actor, input: CreateIncidentBody, defaultChannel: Channel) {
  const nowDate = ctx.clock.now();
  const now = nowDate.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const errors: FieldError[] = [];
    let orgId: number;
    let callerId: number | null;
    const channel = input.channel ?? (isStaff(actor) ? defaultChannel : 'portal');
    if (isStaff(actor)) {
      const caller = input.callerId ? await getPerson(trx, input.callerId) : undefined;
      if (input.callerId && (!caller || !inScope(actor, caller.org_id))) throw AppError.validation([{ path: 'callerId', message: 'Unknown person' }]);
      const implied = input.orgId ?? caller?.org_id;
      if (!implied) throw AppError.validation([{ path: 'orgId', message: 'Required: the organization the incident is for' }]);
      if (caller && caller.org_id !== implied) errors.push({ path: 'callerId', message: 'The caller belongs to another organization' });
      if (caller && caller.active !== 1) errors.push({ path: 'callerId', message: 'This person is deactivated' });
      orgId = implied;
      callerId = caller?.id ?? null;
    } else {
      if (!actor.orgId) throw AppError.forbidden('Your account has no organization');
      if (input.orgId !== undefined && input.orgId !== actor.orgId) throw AppError.validation([{ path: 'orgId', message: 'Requesters report for their own organization' }]);
      if (input.callerId != null && input.callerId !== actor.personId) throw AppError.validation([{ path: 'callerId', message: 'Requesters report for themselves' }]);
      if (!REQUESTER_CHANNELS.includes(channel)) errors.push({ path: 'channel', message: `Requesters use ${REQUESTER_CHANNELS.join(', ')}` });
      if (input.teamId || input.agentId || input.parentId) throw AppError.forbidden('Requesters cannot assign or link incidents');
      orgId = actor.orgId;
      callerId = actor.personId;
    }
    assertInScope(actor, orgId, 'Organization');
    const org = await getOrganization(trx, orgId);
    if (!org) throw AppError.validation([{ path: 'orgId', message: 'Unknown organization' }]);
    if (org.active !== 1) errors.push({ path: 'orgId', message: 'This organization is deactivated' });
    const reportedAt = input.reportedAt ? new Date(input.reportedAt) : nowDate;
    if (reportedAt.getTime() > nowDate.getTime()) errors.push({ path: 'reportedAt', message: 'Cannot be later than now' });
    errors.push(...(await checkReferences(trx, actor, orgId, input, null)));
    if (errors.length > 0) throw AppError.validation(errors);

    const assigned = Boolean(input.teamId || input.agentId);
    const row = await repo.insertIncident(trx, {
      org_id: orgId,
      caller_id: callerId,
      title: input.title,
      description: input.description,
      channel,
      status: assigned ? 'assigned' : 'new',
      pending_reason: null,
      impact: input.impact,
      urgency: input.urgency,
      priority: computePriority(input.impact, input.urgency, matrixOf(org.priority_matrix)),
      priority_overridden: 0,
      priority_reason: null,
      reported_at: reportedAt.toISOString(),
      service_id: input.serviceId ?? null,
      team_id: input.teamId ?? null,
      agent_id: input.agentId ?? null,
      parent_id: input.parentId ?? null,
      problem_id: null,
      resolution_code: null,
      resolution: null,
      reopen_count: 0,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      resolved_at: null,
      closed_at: null,
      last_customer_update_at: now,
    });
    const created = await refreshIncidentSla(trx, row, nowDate);
    // The assignment it was created with belongs to its history too (an agent set now owns it now).
    const assignment = [...(row.team_id ? [{ field: 'teamId', from: null, to: row.team_id }] : []), ...(row.agent_id ? [{ field: 'agentId', from: null, to: row.agent_id }] : [])];
    const changes = [{ field: 'status', from: null, to: row.status }, ...assignment];
    await appendTimeline(trx, [{ orgId, incidentId: row.id, kind: 'event', visibility: 'public', authorId: actor.userId, event: 'created', changes }], now);
    await appendEvent(trx, { type: 'incident.created', orgId, aggregateType: 'incident', aggregateId: row.id, actorId: actor.userId, payload: toIncident(created, []) }, now);
    return presentOne(trx, actor, created);
  });
}

export async function getIncident(ctx: Ctx, actor: Actor, id: number) {
  const row = await repo.findVisibleIncident(ctx.db, actor, id);
  if (!row) throw AppError.notFound('Incident');
  return presentOne(ctx.db, actor, row);
}

export async function listIncidents(ctx: Ctx, actor: Actor, query: IncidentListQuery) {
  const staffOnly = isStaff(actor) ? [] : staffOnlyParameters(query);
  if (staffOnly.length > 0) throw new AppError('validation', 400, 'Invalid query', staffOnly.map((path) => ({ path, message: 'For staff only: requesters are not given assignment or SLA deadlines' })));
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  // A cursor of another sort would compare a date with a number: refuse it rather than fail in SQL.
  if (after && !fitsSort(query.sort, after[0])) throw invalidCursor('Invalid cursor for this sort');
  // Children of a parent the actor cannot see would reveal the link that `parentId` hides in their answers.
  if (query.parentId !== undefined && !(await repo.visibleIncidentIds(ctx.db, actor, [query.parentId])).has(query.parentId)) return { items: [], nextCursor: null };
  const rows = await repo.listIncidents(ctx.db, actor, query, after);
  const incidents = new Map((await present(ctx.db, actor, rows.slice(0, query.limit))).map((i) => [i.id, i]));
  return toPage(rows, query.limit, (r) => incidents.get(r.id)!, (r) => repo.sortKey(query.sort, r));
}

/**
 * Edits fields of an incident (staff). Assigning a `new` incident moves it to `assigned`; a priority
 * override needs a manager and a reason; every change lands in the timeline.
 */
export async function updateIncident(ctx: Ctx, actor: Actor, id: number, input: UpdateIncidentBody) {
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const before = await loadForChange(trx, actor, id);
    requireRole(actor, ...STAFF);
    const errors: FieldError[] = [];
    if (input.callerId) {
      const caller = await getPerson(trx, input.callerId);
      if (!caller || caller.org_id !== before.org_id) errors.push({ path: 'callerId', message: 'Unknown person in this organization' });
    }
    errors.push(...(await checkReferences(trx, actor, before.org_id, input, before)));
    // Overriding the priority, changing its reason or handing it back to the matrix is a manager's call.
    if ((input.priority !== undefined || input.priorityReason !== undefined) && !MANAGERS.includes(actor.role)) {
      throw AppError.forbidden('Only a manager may override the priority');
    }
    if (input.priority != null && !input.priorityReason) errors.push({ path: 'priorityReason', message: 'Required to override the priority' });
    if (errors.length > 0) throw AppError.validation(errors);

    const impact = input.impact ?? before.impact;
    const urgency = input.urgency ?? before.urgency;
    const overridden = input.priority === undefined ? before.priority_overridden === 1 : input.priority !== null;
    const org = await getOrganization(trx, before.org_id);
    const priority = overridden ? (input.priority ?? before.priority) : computePriority(impact, urgency, matrixOf(org?.priority_matrix ?? null));
    const teamId = input.teamId === undefined ? before.team_id : input.teamId;
    const agentId = input.agentId === undefined ? before.agent_id : input.agentId;
    const status: IncidentStatus = before.status === 'new' && (teamId || agentId) ? 'assigned' : (before.status as IncidentStatus);

    const row = await repo.updateIncident(trx, id, {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.callerId !== undefined && { caller_id: input.callerId }),
      ...(input.serviceId !== undefined && { service_id: input.serviceId }),
      ...(input.parentId !== undefined && { parent_id: input.parentId }),
      impact,
      urgency,
      priority,
      priority_overridden: overridden ? 1 : 0,
      priority_reason: overridden ? (input.priorityReason ?? before.priority_reason) : null,
      team_id: teamId,
      agent_id: agentId,
      status,
      updated_at: now,
    });
    const changes = diff(toIncident(before, []), toIncident(row, []));
    if (changes.length === 0) return presentOne(trx, actor, row);
    const updated = await refreshIncidentSla(trx, row, new Date(now));
    const statusChange = changes.filter((c) => c.field === 'status');
    const fieldChanges = changes.filter((c) => c.field !== 'status');
    const entries: NewTimelineEntry[] = [];
    if (fieldChanges.length > 0) entries.push({ orgId: row.org_id, incidentId: id, kind: 'event', visibility: 'internal', authorId: actor.userId, event: 'fields_changed', changes: fieldChanges });
    if (statusChange.length > 0) entries.push({ orgId: row.org_id, incidentId: id, kind: 'event', visibility: 'public', authorId: actor.userId, event: 'status_changed', changes: statusChange });
    await appendTimeline(trx, entries, now);
    await appendEvent(trx, { type: 'incident.updated', orgId: row.org_id, aggregateType: 'incident', aggregateId: id, actorId: actor.userId, payload: { changes } }, now);
    return presentOne(trx, actor, updated);
  });
}

/** One incident as the API answers this actor (see `present`). */
export async function presentOne(db: Executor, actor: Actor, row: repo.IncidentRow): Promise<Incident> {
  return (await present(db, actor, [row]))[0]!;
}

/**
 * Incidents as the API answers this actor, in a few queries for a whole page: with their caller's name, and only
 * the parent and children the actor may see (a major incident may span organizations; a requester may see only
 * their own reports). Requesters are given only what `forRequester` allows: every answer of an incident goes
 * through here (create, get, list, edit, transitions).
 */
async function present(db: Executor, actor: Actor, rows: repo.IncidentRow[]): Promise<Incident[]> {
  const [children, names, parents] = await Promise.all([
    repo.childIdsOf(db, rows.filter((r) => r.parent_id === null).map((r) => r.id), actor),
    namesOfPeople(db, rows.map((r) => r.caller_id)),
    repo.visibleIncidentIds(db, actor, rows.flatMap((r) => (r.parent_id === null ? [] : [r.parent_id]))),
  ]);
  return rows.map((r) => {
    const incident: Incident = {
      ...toIncident(r, children.get(r.id) ?? []),
      parentId: r.parent_id !== null && parents.has(r.parent_id) ? r.parent_id : null,
      callerName: names.get(r.caller_id ?? 0) ?? null,
    };
    return isStaff(actor) ? incident : forRequester(incident);
  });
}

/** Loads an incident the actor may see for a change; 404 if foreign, 409 once closed (read-only). */
export async function loadForChange(trx: Trx, actor: Actor, id: number) {
  const row = await repo.findVisibleIncident(trx, actor, id);
  if (!row) throw AppError.notFound('Incident');
  if (row.status === 'closed') throw AppError.conflict('incident.closed', `${toIncident(row, []).ref} is closed and can no longer change.`);
  return row;
}

/** Field errors for the team, agent, service and parent an incident is given. */
export async function checkReferences(
  trx: Trx,
  actor: Actor,
  orgId: number,
  input: { serviceId?: number | null; teamId?: number | null; agentId?: number | null; parentId?: number | null },
  current: repo.IncidentRow | null,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (input.serviceId) {
    const service = await getService(trx, input.serviceId);
    if (!service || service.active !== 1) errors.push({ path: 'serviceId', message: 'Unknown or deactivated service' });
  }
  if (input.teamId) {
    const team = await getTeam(trx, input.teamId);
    if (!team || team.active !== 1) errors.push({ path: 'teamId', message: 'Unknown or deactivated team' });
  }
  if (input.agentId) {
    const agent = await findUserById(trx, input.agentId);
    const scope = agent ? (JSON.parse(agent.org_scope) as number[]) : [];
    if (!agent || agent.active !== 1 || !STAFF.includes(agent.role as Actor['role'])) {
      errors.push({ path: 'agentId', message: 'Unknown or deactivated agent' });
    } else if (agent.role !== 'admin' && scope.length > 0 && !scope.includes(orgId)) {
      errors.push({ path: 'agentId', message: 'This agent does not serve this organization' });
    } else {
      const teamId = input.teamId === undefined ? current?.team_id : input.teamId;
      if (teamId && !(await isTeamMember(trx, teamId, input.agentId))) errors.push({ path: 'agentId', message: 'This agent is not a member of the team' });
    }
  } else if (input.teamId && input.agentId === undefined && current?.agent_id && !(await isTeamMember(trx, input.teamId, current.agent_id))) {
    errors.push({ path: 'teamId', message: 'The assigned agent is not a member of this team; name an agent of the team too, or clear agentId' });
  }
  if (input.parentId) {
    const parent = await repo.findVisibleIncident(trx, actor, input.parentId);
    if (!parent) errors.push({ path: 'parentId', message: 'Unknown incident' });
    else if (current && parent.id === current.id) errors.push({ path: 'parentId', message: 'An incident cannot be its own parent' });
    else if (parent.parent_id !== null) errors.push({ path: 'parentId', message: ONE_LEVEL });
    else if (parent.status === 'closed') errors.push({ path: 'parentId', message: 'The parent is closed' });
    else if (current && (await repo.childIdsOf(trx, [current.id])).has(current.id)) errors.push({ path: 'parentId', message: ONE_LEVEL });
  }
  return errors;
}

/** A priority for the priority sorts; for the others a date exactly as this server writes it (PostgreSQL would refuse 30 February or year 0). */
function fitsSort(sort: IncidentListQuery['sort'], value: string | number): boolean {
  if (sort.endsWith('priority')) return Number.isInteger(value);
  return isCanonicalTimestamp(value);
}

function matrixOf(json: string | null): PriorityMatrix | null {
  return json ? (JSON.parse(json) as PriorityMatrix) : null;
}

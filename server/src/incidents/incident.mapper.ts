import type { Incident, StaffIncident } from '../../../contract/incidents.ts';
import type { IncidentRow } from './incident.repository.ts';

/** `I-000123`: the id, padded; ids are never reused, so references never repeat. */
export function incidentRef(id: number): string {
  return `I-${String(id).padStart(6, '0')}`;
}

/** Every field of an incident: what staff are given (requesters are given what `forRequester` keeps of it). */
export function toIncident(row: IncidentRow, childIds: number[]): StaffIncident {
  return {
    id: row.id,
    ref: incidentRef(row.id),
    orgId: row.org_id,
    callerId: row.caller_id,
    title: row.title,
    description: row.description,
    channel: row.channel as Incident['channel'],
    status: row.status as Incident['status'],
    pendingReason: row.pending_reason as Incident['pendingReason'],
    impact: row.impact,
    urgency: row.urgency,
    priority: row.priority,
    priorityOverridden: row.priority_overridden === 1,
    priorityReason: row.priority_reason,
    reportedAt: row.reported_at,
    serviceId: row.service_id,
    ciIds: [],
    teamId: row.team_id,
    agentId: row.agent_id,
    parentId: row.parent_id,
    childIds,
    problemId: row.problem_id,
    resolutionCode: row.resolution_code as StaffIncident['resolutionCode'],
    resolution: row.resolution,
    reopenCount: row.reopen_count,
    createdById: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    lastCustomerUpdateAt: row.last_customer_update_at,
    slaPolicyId: row.sla_policy_id,
    ttoDueAt: row.tto_due_at,
    ttrDueAt: row.ttr_due_at,
    ttoMetAt: row.tto_met_at,
    ttoWarned: row.tto_warned === 1,
    ttoBreached: row.tto_breached === 1,
    ttrWarned: row.ttr_warned === 1,
    ttrBreached: row.ttr_breached === 1,
    slaPaused: row.sla_paused_since !== null,
    slaPausedMinutes: row.sla_paused_minutes,
  };
}

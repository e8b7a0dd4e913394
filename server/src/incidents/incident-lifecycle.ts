import type { IncidentStatus, PendingReason, ResolutionCode } from '../../../contract/incidents.ts';
import type { FieldError } from '../http/errors.ts';

/**
 * The incident lifecycle of DESIGN.md. Pure: no I/O. Restoring service is never blocked by process:
 * an incident may be resolved straight from `new`.
 */
export const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  new: ['assigned', 'in_progress', 'resolved'],
  assigned: ['in_progress', 'pending', 'resolved'],
  in_progress: ['pending', 'resolved'],
  pending: ['in_progress'],
  resolved: ['in_progress', 'closed'],
  closed: [],
};

export const OPEN_STATUSES: readonly IncidentStatus[] = ['new', 'assigned', 'in_progress', 'pending'];

export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export interface TransitionFields {
  pendingReason?: PendingReason;
  resolutionCode?: ResolutionCode;
  resolution?: string;
  teamId?: number | null;
  agentId?: number | null;
}

export type TransitionCheck =
  | { ok: true }
  | { ok: false; reason: 'invalid_transition'; allowed: readonly IncidentStatus[] }
  | { ok: false; reason: 'missing_fields'; errors: FieldError[] };

/**
 * Checks a transition and the fields it requires.
 * @example checkTransition('new', 'resolved', {}) // missing resolutionCode and resolution
 */
export function checkTransition(from: IncidentStatus, to: IncidentStatus, fields: TransitionFields): TransitionCheck {
  if (!canTransition(from, to)) return { ok: false, reason: 'invalid_transition', allowed: TRANSITIONS[from] };
  const errors = requiredFields(to, fields);
  return errors.length > 0 ? { ok: false, reason: 'missing_fields', errors } : { ok: true };
}

function requiredFields(to: IncidentStatus, f: TransitionFields): FieldError[] {
  switch (to) {
    case 'pending':
      return f.pendingReason ? [] : [{ path: 'pendingReason', message: 'Required to put an incident on hold (customer, vendor, change, other)' }];
    case 'resolved':
      return [
        ...(f.resolutionCode ? [] : [{ path: 'resolutionCode', message: 'Required to resolve' }]),
        ...(f.resolution?.trim() ? [] : [{ path: 'resolution', message: 'Required to resolve: it is shown to the customer' }]),
      ];
    case 'assigned':
      return f.teamId || f.agentId ? [] : [{ path: 'teamId', message: 'A team or an agent must be set to assign' }];
    case 'new':
    case 'in_progress':
    case 'closed':
      return [];
  }
}

/** Whether the change of status reopens a resolved incident (counted). */
export function isReopen(from: IncidentStatus, to: IncidentStatus): boolean {
  return from === 'resolved' && to === 'in_progress';
}

export function isOpen(status: IncidentStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

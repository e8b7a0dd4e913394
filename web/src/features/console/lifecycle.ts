import type { IncidentStatus } from '../../../../contract/incidents.ts';

/** The transitions the lifecycle allows (DESIGN.md); the server decides, this only offers the right buttons. */
export const TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  new: ['assigned', 'in_progress', 'resolved'],
  assigned: ['in_progress', 'pending', 'resolved'],
  in_progress: ['pending', 'resolved'],
  pending: ['in_progress'],
  resolved: ['in_progress', 'closed'],
  closed: [],
};

export const PENDING_REASONS = ['customer', 'vendor', 'change', 'other'] as const;
export const RESOLUTION_CODES = ['fixed', 'workaround', 'duplicate', 'no_fault_found', 'user_error', 'other'] as const;

/** The locale key of the button that moves an incident from one status to another ("Reopen", "Resume", …). */
export function transitionLabel(from: IncidentStatus, to: IncidentStatus): string {
  if (to === 'in_progress') return from === 'resolved' ? 'reopen' : from === 'pending' ? 'resume' : 'start';
  if (to === 'assigned') return 'assign';
  if (to === 'pending') return 'hold';
  if (to === 'resolved') return 'resolve';
  if (to === 'closed') return 'close';
  return to;
}

/** Whether a transition asks for something first (fields, or a confirmation for closing). */
export function needsDialog(to: IncidentStatus): boolean {
  return to === 'assigned' || to === 'pending' || to === 'resolved' || to === 'closed';
}

/** The default priority matrix (impact rows 1..3 × urgency columns 1..4), for the preview while logging a call. */
export const DEFAULT_PRIORITY_MATRIX: readonly (readonly number[])[] = [
  [1, 1, 2, 4],
  [1, 2, 3, 4],
  [2, 3, 3, 4],
];

/** The priority an organization's matrix gives; the server computes the real one. */
export function previewPriority(impact: number, urgency: number, matrix: readonly (readonly number[])[] | null | undefined): number {
  return (matrix ?? DEFAULT_PRIORITY_MATRIX)[impact - 1]?.[urgency - 1] ?? 4;
}

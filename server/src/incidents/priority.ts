/**
 * Priority from impact (1 a department or more, 2 a service, 3 one person) and urgency (1 critical … 4 low).
 * The default matrix is iTop's, so that migrating teams keep their habits; an organization may set its own.
 */
export type PriorityMatrix = readonly (readonly number[])[];

export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = [
  [1, 1, 2, 4],
  [1, 2, 3, 4],
  [2, 3, 3, 4],
];

/** @example computePriority(2, 3) // 3 */
export function computePriority(impact: number, urgency: number, matrix: PriorityMatrix | null = null): number {
  const m = matrix ?? DEFAULT_PRIORITY_MATRIX;
  const p = m[impact - 1]?.[urgency - 1];
  if (p === undefined) throw new RangeError(`No priority for impact ${impact} and urgency ${urgency}`);
  return p;
}

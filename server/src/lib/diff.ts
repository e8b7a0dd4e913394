export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * Field-level differences between two versions of a record, for audit trails and events.
 * @example diff({ a: 1, b: 2 }, { a: 1, b: 3 }) // [{ field: 'b', from: 2, to: 3 }]
 */
export function diff<T extends Record<string, unknown>>(before: T, after: T, ignore: string[] = ['updatedAt']): FieldChange[] {
  return Object.keys(after)
    .filter((k) => !ignore.includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((field) => ({ field, from: before[field], to: after[field] }));
}

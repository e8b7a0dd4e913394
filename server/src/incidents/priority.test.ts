import { describe, expect, it } from 'vitest';
import { computePriority } from './priority.ts';

describe('priority matrix', () => {
  // The table of DESIGN.md, cell by cell.
  it.each([
    [1, 1, 1], [1, 2, 1], [1, 3, 2], [1, 4, 4],
    [2, 1, 1], [2, 2, 2], [2, 3, 3], [2, 4, 4],
    [3, 1, 2], [3, 2, 3], [3, 3, 3], [3, 4, 4],
  ])('impact %i × urgency %i → priority %i', (impact, urgency, priority) => {
    expect(computePriority(impact, urgency)).toBe(priority);
  });

  it("uses an organization's own matrix when it has one", () => {
    const flat = [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]];
    expect(computePriority(3, 1, flat)).toBe(3);
    expect(computePriority(1, 4, flat)).toBe(1);
  });

  it('refuses values outside the matrix', () => {
    expect(() => computePriority(4, 1)).toThrow(RangeError);
    expect(() => computePriority(1, 5)).toThrow(RangeError);
  });
});

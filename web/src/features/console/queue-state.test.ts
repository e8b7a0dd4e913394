import { describe, expect, it } from 'vitest';
import { previewPriority, TRANSITIONS, transitionLabel } from './lifecycle.ts';
import { DEFAULT_STATE, fromApiParams, OPEN_STATUSES, parseQueueState, sameParams, toApiParams, toSearch } from './queue-state.ts';

const me = { id: 7, teamIds: [2, 5] };

describe('queue state in the URL', () => {
  it('defaults to every open incident in scope, newest first', () => {
    expect(parseQueueState('')).toEqual(DEFAULT_STATE);
    expect(toSearch(DEFAULT_STATE)).toBe('');
  });

  it.each([
    ['?queue=mine', { queue: 'mine' }],
    ['?status=', { status: [] }],
    ['?status=new,bogus,pending', { status: ['new', 'pending'] }],
    ['?priority=1,9,2&orgId=3,x', { priority: ['1', '2'], orgId: ['3'] }],
    ['?sort=-priority&q=%C3%A9cran', { sort: '-priority', q: 'écran' }],
    ['?queue=nope&sort=title', { queue: 'all', sort: '-createdAt' }],
  ])('parses %s', (search, expected) => {
    expect(parseQueueState(search)).toMatchObject(expected);
  });

  it('round-trips through the search string', () => {
    const state = { queue: 'teams' as const, status: [], priority: ['1'], orgId: ['4', '9'], q: 'vpn', sort: 'priority' as const };
    expect(parseQueueState(toSearch(state))).toEqual(state);
  });
});

describe('queue → GET /incidents parameters (saved views)', () => {
  it.each([
    ['mine', { agentId: '7' }],
    ['teams', { teamId: '2,5' }],
    ['unassigned', { unassigned: 'true' }],
    ['all', {}],
  ] as const)('%s', (queue, extra) => {
    expect(toApiParams({ ...DEFAULT_STATE, queue }, me)).toEqual({ sort: '-createdAt', status: OPEN_STATUSES.join(','), ...extra });
  });

  it('reads a saved view back into the same queue', () => {
    for (const queue of ['mine', 'teams', 'unassigned', 'all'] as const) {
      const state = { ...DEFAULT_STATE, queue, status: [], priority: ['2'], q: 'mail' };
      expect(fromApiParams(toApiParams(state, me), me)).toEqual(state);
    }
  });

  it('compares parameters regardless of key order and empty values', () => {
    expect(sameParams({ a: '1', b: '' }, { a: '1' })).toBe(true);
    expect(sameParams({ a: '1' }, { a: '2' })).toBe(false);
  });
});

describe('lifecycle helpers', () => {
  it('offers no transition from closed', () => expect(TRANSITIONS.closed).toEqual([]));
  it.each([
    ['resolved', 'in_progress', 'reopen'],
    ['pending', 'in_progress', 'resume'],
    ['new', 'in_progress', 'start'],
    ['assigned', 'resolved', 'resolve'],
  ] as const)('%s → %s is labelled %s', (from, to, label) => expect(transitionLabel(from, to)).toBe(label));
  it('previews the default matrix and an organization matrix', () => {
    expect(previewPriority(1, 1, null)).toBe(1);
    expect(previewPriority(3, 2, null)).toBe(3);
    expect(previewPriority(3, 2, [[4, 4, 4, 4], [4, 4, 4, 4], [4, 2, 4, 4]])).toBe(2);
  });
});

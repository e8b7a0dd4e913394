import { describe, expect, it } from 'vitest';
import { IncidentStatus } from '../../../contract/incidents.ts';
import { canTransition, checkTransition, isReopen } from './incident-lifecycle.ts';

const allowed: [string, string][] = [
  ['new', 'assigned'], ['new', 'in_progress'], ['new', 'resolved'],
  ['assigned', 'in_progress'], ['assigned', 'pending'], ['assigned', 'resolved'],
  ['in_progress', 'pending'], ['in_progress', 'resolved'],
  ['pending', 'in_progress'],
  ['resolved', 'in_progress'], ['resolved', 'closed'],
];

describe('incident lifecycle', () => {
  const all = IncidentStatus.options;
  const pairs = all.flatMap((from) => all.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s follows DESIGN.md', (from, to) => {
    const expected = allowed.some(([f, t]) => f === from && t === to);
    expect(canTransition(from, to)).toBe(expected);
  });

  it('refuses an invalid transition and lists the allowed ones', () => {
    expect(checkTransition('closed', 'in_progress', {})).toEqual({ ok: false, reason: 'invalid_transition', allowed: [] });
    expect(checkTransition('pending', 'resolved', {})).toMatchObject({ ok: false, reason: 'invalid_transition', allowed: ['in_progress'] });
  });

  it('lets first-contact resolution go straight from new to resolved with its fields', () => {
    expect(checkTransition('new', 'resolved', { resolutionCode: 'fixed', resolution: 'Restarted the VPN client' })).toEqual({ ok: true });
  });

  it.each([
    ['resolved', {}, ['resolutionCode', 'resolution']],
    ['resolved', { resolutionCode: 'fixed', resolution: '   ' }, ['resolution']],
    ['resolved', { resolution: 'Done' }, ['resolutionCode']],
    ['pending', {}, ['pendingReason']],
    ['assigned', {}, ['teamId']],
  ] as const)('requires the fields of %s', (to, fields, paths) => {
    const from = to === 'pending' ? 'in_progress' : 'new';
    const check = checkTransition(from, to, fields);
    expect(check.ok).toBe(false);
    if (!check.ok && check.reason === 'missing_fields') expect(check.errors.map((e) => e.path)).toEqual(paths);
    else throw new Error('expected missing fields');
  });

  it('accepts pending with a reason and assignment with a team or an agent', () => {
    expect(checkTransition('assigned', 'pending', { pendingReason: 'vendor' })).toEqual({ ok: true });
    expect(checkTransition('new', 'assigned', { agentId: 4 })).toEqual({ ok: true });
    expect(checkTransition('new', 'assigned', { teamId: 2 })).toEqual({ ok: true });
  });

  it('counts resolved → in_progress as a reopen, and nothing else', () => {
    expect(isReopen('resolved', 'in_progress')).toBe(true);
    expect(isReopen('pending', 'in_progress')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { requesterMayReceive } from './live-rules.ts';

const updated = (...fields: string[]) => ({ changes: fields.map((field) => ({ field, from: 1, to: 2 })) });

describe('requesterMayReceive', () => {
  it.each([
    ['incident.created', { id: 1, title: 'Printer jams' }, true],
    ['incident.status_changed', { from: 'assigned', to: 'in_progress', changes: [] }, true],
    ['incident.status_changed', { from: 'in_progress', to: 'resolved', changes: [], parentId: 3 }, true],
    ['incident.commented', { visibility: 'public', ref: 'I-000001' }, true],
    ['incident.commented', { visibility: 'internal', ref: 'I-000001' }, false],
    ['incident.attachments_added', { visibility: 'public', files: ['a.txt'] }, true],
    ['incident.attachments_added', { visibility: 'internal', files: ['a.txt'] }, false],
    ['incident.attachments_added', {}, false],
    ['incident.updated', updated('title'), true],
    ['incident.updated', updated('description'), true],
    ['incident.updated', updated('status', 'teamId'), true],
    ['incident.updated', updated('impact', 'priority'), true],
    ['incident.updated', updated('resolution'), true],
    ['incident.updated', updated('agentId'), false],
    ['incident.updated', updated('teamId', 'agentId'), false],
    ['incident.updated', updated('parentId'), false],
    ['incident.updated', updated('priorityOverridden', 'priorityReason'), false],
    ['incident.updated', updated('callerId', 'serviceId', 'impact', 'urgency'), false],
    ['incident.updated', {}, false],
    ['incident.updated', null, false],
    ['sla.tto_warning', { ref: 'I-000001', priority: 1, at: '2026-03-02T08:30:00.000Z' }, false],
    ['sla.tto_breached', { ref: 'I-000001' }, false],
    ['sla.ttr_warning', { ref: 'I-000001' }, false],
    ['sla.ttr_breached', { ref: 'I-000001' }, false],
    ['incident.some_future_event', { visibility: 'public' }, false],
    ['team.updated', { changes: [{ field: 'name' }] }, false],
  ] as const)('%s %j → %s', (type, payload, expected) => {
    expect(requesterMayReceive({ type, payload })).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { Incident, type StaffIncident, TimelineEntry } from '../../../contract/incidents.ts';
import { attachmentForRequester, forRequester, REQUESTER_INCIDENT_FIELDS, staffOnlyParameters, timelineEntryForRequester } from './requester-view.ts';

const incident: StaffIncident = {
  id: 123, ref: 'I-000123', orgId: 4, callerId: 9, callerName: 'Ada Martin', title: 'Printer jams', description: 'Tray 2',
  channel: 'portal', status: 'resolved', pendingReason: null, impact: 3, urgency: 2, priority: 1, priorityOverridden: true,
  priorityReason: 'CEO, board meeting at noon', reportedAt: '2026-03-02T08:00:00.000Z', serviceId: 2, ciIds: [5], teamId: 6,
  agentId: 7, parentId: 100, childIds: [], problemId: 8, resolutionCode: 'user_error', resolution: 'Paper loaded the right way',
  reopenCount: 2, createdById: 11, createdAt: '2026-03-02T08:00:00.000Z', updatedAt: '2026-03-02T10:00:00.000Z',
  resolvedAt: '2026-03-02T10:00:00.000Z', closedAt: null, lastCustomerUpdateAt: '2026-03-02T09:00:00.000Z', slaPolicyId: 1,
  ttoDueAt: '2026-03-02T08:30:00.000Z', ttrDueAt: '2026-03-02T09:00:00.000Z', ttoMetAt: '2026-03-02T08:10:00.000Z', ttoWarned: true,
  ttoBreached: false, ttrWarned: true, ttrBreached: true, slaPaused: false, slaPausedMinutes: 12,
};

describe('forRequester', () => {
  it.each([
    ['priorityOverridden'], ['priorityReason'], ['ciIds'], ['teamId'], ['agentId'], ['problemId'], ['resolutionCode'], ['reopenCount'],
    ['createdById'], ['lastCustomerUpdateAt'], ['slaPolicyId'], ['ttoDueAt'], ['ttrDueAt'], ['ttoMetAt'], ['ttoWarned'], ['ttoBreached'],
    ['ttrWarned'], ['ttrBreached'], ['slaPaused'], ['slaPausedMinutes'],
  ])('leaves out %s', (field) => {
    expect(forRequester(incident)).not.toHaveProperty(field);
  });

  it.each([
    ['id', 123], ['ref', 'I-000123'], ['orgId', 4], ['callerId', 9], ['callerName', 'Ada Martin'], ['title', 'Printer jams'],
    ['description', 'Tray 2'], ['channel', 'portal'], ['status', 'resolved'], ['pendingReason', null], ['impact', 3], ['urgency', 2],
    ['priority', 1], ['reportedAt', '2026-03-02T08:00:00.000Z'], ['serviceId', 2], ['parentId', 100], ['childIds', []],
    ['resolution', 'Paper loaded the right way'], ['createdAt', '2026-03-02T08:00:00.000Z'], ['updatedAt', '2026-03-02T10:00:00.000Z'],
    ['resolvedAt', '2026-03-02T10:00:00.000Z'], ['closedAt', null],
  ])('keeps %s, which the portal shows or the requester gave', (field, value) => {
    expect(forRequester(incident)).toHaveProperty([field], value);
  });

  it('keeps the allowlist and nothing else, and answers what the published contract allows', () => {
    expect(Object.keys(forRequester(incident)).sort()).toEqual([...REQUESTER_INCIDENT_FIELDS].sort());
    expect(Incident.safeParse(forRequester(incident)).success).toBe(true);
    // Every field it leaves out is documented as absent for requesters.
    const left = Object.keys(Incident.shape).filter((k) => !(REQUESTER_INCIDENT_FIELDS as readonly string[]).includes(k));
    for (const k of left) expect(Incident.shape[k as keyof typeof Incident.shape].description, k).toMatch(/absent for requesters/);
  });

  it('leaves out an incident field it does not know (an allowlist)', () => {
    expect(forRequester({ ...incident, escalationLevel: 3 } as StaffIncident)).not.toHaveProperty('escalationLevel');
  });
});

describe('timelineEntryForRequester', () => {
  const file = {
    id: 3, incidentId: 123, timelineEntryId: 40, visibility: 'public' as const, filename: 'screen.png', contentType: 'image/png', size: 10,
    uploadedById: 7, createdAt: '2026-03-02T08:00:00.000Z', url: '/api/v1/attachments/3',
  };
  const entry = (changes: { field: string; from: unknown; to: unknown }[] | null) => ({
    id: 40, incidentId: 123, kind: 'event' as const, visibility: 'public' as const, authorId: 7, authorName: 'Sam Agent', body: null,
    event: 'status_changed', changes, attachments: [file], createdAt: '2026-03-02T08:00:00.000Z',
  });

  it.each([
    ['status', true], ['pendingReason', true], ['resolution', true], ['resolvedAt', true], ['closedAt', true], ['priority', true],
    ['attachment', true], ['agentId', false], ['teamId', false], ['resolutionCode', false], ['reopenCount', false],
    ['lastCustomerUpdateAt', false], ['priorityReason', false], ['slaPolicyId', false], ['somethingNew', false],
  ])('a change of %s is kept: %s', (field, kept) => {
    const change = { field, from: null, to: 1 };
    expect(timelineEntryForRequester(entry([change])).changes).toEqual(kept ? [change] : []);
  });

  it('names the author but gives no id of theirs nor of who uploaded the files', () => {
    const seen = timelineEntryForRequester(entry(null));
    expect(seen).not.toHaveProperty('authorId');
    expect(seen.authorName).toBe('Sam Agent');
    expect(seen.changes).toBeNull();
    expect(seen.attachments[0]).not.toHaveProperty('uploadedById');
    expect(seen.attachments[0]).toMatchObject({ id: 3, filename: 'screen.png', url: '/api/v1/attachments/3' });
    expect(TimelineEntry.safeParse(seen).success).toBe(true);
  });

  it('does not change the entry it is given', () => {
    const original = entry([{ field: 'agentId', from: null, to: 7 }]);
    timelineEntryForRequester(original);
    expect(original.authorId).toBe(7);
    expect(original.changes).toHaveLength(1);
    expect(original.attachments[0]).toHaveProperty('uploadedById', 7);
  });
});

describe('attachmentForRequester', () => {
  it('leaves out who uploaded the file, and only that', () => {
    const file = { id: 3, uploadedById: 7, filename: 'a.txt' };
    expect(attachmentForRequester(file as never)).toEqual({ id: 3, filename: 'a.txt' });
  });
});

describe('staffOnlyParameters', () => {
  it.each([
    [{ sort: '-createdAt' }, []],
    [{ sort: '-updatedAt' }, []],
    [{ sort: 'priority' }, []],
    [{ teamId: [6], sort: '-createdAt' }, ['teamId']],
    [{ agentId: [7], sort: '-createdAt' }, ['agentId']],
    [{ unassigned: true, sort: '-createdAt' }, ['unassigned']],
    [{ unassigned: false, sort: '-createdAt' }, ['unassigned']],
    [{ sort: 'ttrDueAt' }, ['sort']],
    [{ sort: '-ttrDueAt' }, ['sort']],
    [{ teamId: [6], agentId: [7], unassigned: false, sort: '-ttrDueAt' }, ['teamId', 'agentId', 'unassigned', 'sort']],
  ] as const)('%o names %o', (query, named) => {
    expect(staffOnlyParameters(query as Parameters<typeof staffOnlyParameters>[0])).toEqual(named);
  });
});

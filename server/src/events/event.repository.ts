import type { Executor, Trx } from '../db/database.ts';

export interface DomainEvent {
  type: string;
  orgId: number | null;
  aggregateType: 'incident' | 'organization' | 'person' | 'user' | 'team' | 'service' | 'calendar' | 'sla_policy' | 'settings';
  aggregateId: number;
  actorId: number | null;
  payload: Record<string, unknown>;
}

/**
 * Appends a domain event to the outbox. It takes a transaction on purpose: the event commits with
 * the state change it describes, or not at all.
 */
export async function appendEvent(trx: Trx, event: DomainEvent, at: string): Promise<void> {
  await trx
    .insertInto('events')
    .values({
      org_id: event.orgId,
      type: event.type,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      actor_id: event.actorId,
      payload: JSON.stringify(event.payload),
      created_at: at,
      processed_at: null,
    })
    .execute();
}

export async function listEventsFor(db: Executor, aggregateType: string, aggregateId: number) {
  return db
    .selectFrom('events')
    .selectAll()
    .where('aggregate_type', '=', aggregateType)
    .where('aggregate_id', '=', aggregateId)
    .orderBy('id')
    .execute();
}

import type { Executor, Trx } from '../db/database.ts';
import { currentOrigin } from '../http/request-context.ts';
import { type DomainEvent, publishInTransaction } from './event-bus.ts';

/**
 * Appends a domain event to the outbox. It takes a transaction on purpose: the event commits with
 * the state change it describes, or not at all. Within an HTTP request it also records the client's
 * address and the request id (for the audit log); background work has neither. Then runs the handlers
 * subscribed to its type in the same transaction (`event-bus.ts`).
 */
export async function appendEvent(trx: Trx, event: DomainEvent, at: string): Promise<void> {
  const origin = currentOrigin();
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
      actor_ip: origin?.ip ?? null,
      request_id: origin?.requestId ?? null,
    })
    .execute();
  await publishInTransaction(trx, event, at);
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

import type { Trx } from '../db/database.ts';
import type { FieldChange } from '../lib/diff.ts';

/**
 * Domain events, and the in-transaction part of the event bus. Every event goes to the outbox (`appendEvent`),
 * which live updates and the audit log read after the commit. A module may also subscribe here to an event
 * type: its handler runs inside the transaction that appends the event, with the same `trx`, so that what it
 * writes commits or rolls back with the change that caused it, and a failing handler fails the use case. That
 * lets a module keep its own state consistent with another's change without the other importing it (no
 * module cycle): for derived state only, never for slow or outside work, which belongs to consumers of the
 * outbox after the commit.
 */
export interface DomainEvent {
  type: string;
  orgId: number | null;
  aggregateType: 'incident' | 'organization' | 'person' | 'user' | 'team' | 'service' | 'calendar' | 'sla_policy' | 'identity_provider' | 'settings';
  aggregateId: number;
  actorId: number | null;
  payload: Record<string, unknown>;
}

/** The events one may subscribe to in-transaction, with their payloads. */
export interface InTransactionEvents {
  'organization.updated': { changes: FieldChange[] };
}

type EventOf<T extends keyof InTransactionEvents> = DomainEvent & { type: T; payload: InTransactionEvents[T] };
export type OrganizationUpdated = EventOf<'organization.updated'>;
type Handler<T extends keyof InTransactionEvents> = (trx: Trx, event: EventOf<T>, at: string) => Promise<void>;

const handlers = new Map<string, Set<Handler<never>>>();

/**
 * Runs `handler` inside the transaction of every `type` event appended from now on. Subscribing the same
 * handler again changes nothing. Subscriptions are made once, where the context is built (`buildCtx`).
 * @example subscribeInTransaction('organization.updated', onOrganizationUpdated)
 */
export function subscribeInTransaction<T extends keyof InTransactionEvents>(type: T, handler: Handler<T>): void {
  let set = handlers.get(type);
  if (!set) handlers.set(type, (set = new Set()));
  set.add(handler as Handler<never>);
}

/** Runs the handlers subscribed to the event's type, one after the other, in `trx` (called by `appendEvent`). */
export async function publishInTransaction(trx: Trx, event: DomainEvent, at: string): Promise<void> {
  for (const handler of handlers.get(event.type) ?? []) await handler(trx, event as never, at);
}

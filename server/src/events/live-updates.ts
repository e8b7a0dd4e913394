import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import type { Db } from '../db/database.ts';
import { findVisibleIncident } from '../incidents/incident.repository.ts';
import { type Actor, inScope, isStaff } from '../tenancy/scope.ts';
import { requesterMayReceive } from './live-rules.ts';

/** What a browser receives: just enough to know what to refetch; the API enforces who sees what. */
export interface LiveMessage {
  id: number;
  type: string;
  incidentId: number | null;
  orgId: number | null;
}

interface Subscriber {
  actor: Actor;
  send(message: LiveMessage): void;
  end(): void;
}

/**
 * Fans domain events out to open browsers (Server-Sent Events). It tails the `events` outbox, so it
 * sees changes made by every node sharing the database, and only committed ones. On PostgreSQL a
 * LISTEN on `vigie_events` (notified by a trigger at each commit) wakes it at once; polling remains
 * as the safety net, and is all SQLite needs since its writers are on this node.
 */
export class LiveUpdates {
  private readonly subscribers = new Set<Subscriber>();
  private cursor: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private again = false;
  private listener: pg.PoolClient | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly pool: pg.Pool | null = null,
    private readonly intervalMs = pool ? 2000 : 400,
  ) {}

  subscribe(actor: Actor, send: (message: LiveMessage) => void, end: () => void): () => void {
    const sub = { actor, send, end };
    this.subscribers.add(sub);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), this.intervalMs);
      void this.poll();
      if (this.pool) void this.listen(this.pool);
    }
    return () => {
      this.subscribers.delete(sub);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  /** Ends every open stream (before shutdown, so that in-flight requests can finish). */
  closeAll(): void {
    for (const sub of [...this.subscribers]) sub.end();
    this.subscribers.clear();
    this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.cursor = null;
    this.listener?.release();
    this.listener = null;
  }

  private async listen(pool: pg.Pool): Promise<void> {
    try {
      const client = await pool.connect();
      if (!this.timer) return client.release();
      client.on('notification', () => void this.poll());
      client.on('error', (err) => this.log.warn({ err }, 'live updates: LISTEN connection lost; polling meanwhile'));
      await client.query('LISTEN vigie_events');
      this.listener = client;
    } catch (err) {
      this.log.warn({ err }, 'live updates: could not LISTEN; polling instead');
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = true;
    try {
      if (this.cursor === null) {
        const last = await this.db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
        this.cursor = Number(last?.id ?? 0);
        return;
      }
      const events = await this.db
        .selectFrom('events')
        .select(['id', 'org_id', 'type', 'aggregate_type', 'aggregate_id', 'payload'])
        .where('id', '>', this.cursor)
        .orderBy('id')
        .limit(500)
        .execute();
      for (const e of events) {
        this.cursor = e.id;
        const message: LiveMessage = { id: e.id, type: e.type, incidentId: e.aggregate_type === 'incident' ? e.aggregate_id : null, orgId: e.org_id };
        const forRequesters = requesterMayReceive({ type: e.type, payload: JSON.parse(e.payload) });
        for (const sub of this.subscribers) {
          if (await this.mayReceive(sub.actor, message, forRequesters)) sub.send(message);
        }
      }
    } catch (err) {
      this.log.warn({ err }, 'live updates: polling the outbox failed; retrying');
    } finally {
      this.polling = false;
      if (this.again) {
        this.again = false;
        void this.poll();
      }
    }
  }

  /** Staff: whatever is in their scope. Requesters: what `requesterMayReceive` allows, of incidents they may see. */
  private async mayReceive(actor: Actor, m: LiveMessage, forRequesters: boolean): Promise<boolean> {
    if (isStaff(actor)) return m.orgId === null || inScope(actor, m.orgId);
    if (!forRequesters || m.incidentId === null) return false;
    return (await findVisibleIncident(this.db, actor, m.incidentId)) !== undefined;
  }
}

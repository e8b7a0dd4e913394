import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never import application code here.
// PostgreSQL only: every commit that appends events notifies `vigie_events`, so that live updates on
// every node wake up at once instead of waiting for their next poll. SQLite nodes poll.

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create or replace function vigie_notify_events() returns trigger language plpgsql as $$
    begin perform pg_notify('vigie_events', ''); return null; end $$`.execute(db);
  await sql`create trigger events_notify after insert on events for each statement execute function vigie_notify_events()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop trigger if exists events_notify on events`.execute(db);
  await sql`drop function if exists vigie_notify_events()`.execute(db);
}

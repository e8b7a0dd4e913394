import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// Events record where a change came from (client address, request id) for the admin audit log; events of
// background work have neither. The audit log reads configuration events newest first by type.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('actor_ip', 'text').execute();
  await db.schema.alterTable('events').addColumn('request_id', 'text').execute();
  await db.schema.createIndex('events_aggregate_type_id').on('events').columns(['aggregate_type', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_aggregate_type_id').execute();
  await db.schema.alterTable('events').dropColumn('request_id').execute();
  await db.schema.alterTable('events').dropColumn('actor_ip').execute();
}

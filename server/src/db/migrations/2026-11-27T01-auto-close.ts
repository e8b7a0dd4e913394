import type { Kysely } from 'kysely';

// Frozen: never import application code here.
// Resolved incidents close by themselves after a number of days set per organization (0 = never).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organizations').addColumn('auto_close_days', 'integer', (c) => c.notNull().defaultTo(7)).execute();
  await db.schema.createIndex('incidents_org_status_resolved').on('incidents').columns(['org_id', 'status', 'resolved_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('incidents_org_status_resolved').execute();
  await db.schema.alterTable('organizations').dropColumn('auto_close_days').execute();
}

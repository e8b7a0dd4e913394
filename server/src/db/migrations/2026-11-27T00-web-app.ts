import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never import application code here.
// Attachments, saved views, and the last customer update shown in agent queues.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ts = pg ? 'timestamptz' : 'text';
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));

  await id(db.schema.createTable('attachments'))
    .addColumn('org_id', 'integer', (c: any) => c.notNull().references('organizations.id'))
    .addColumn('incident_id', 'integer', (c: any) => c.notNull().references('incidents.id'))
    .addColumn('timeline_entry_id', 'integer', (c: any) => c.references('timeline_entries.id'))
    .addColumn('visibility', 'text', (c: any) => c.notNull())
    .addColumn('filename', 'text', (c: any) => c.notNull())
    .addColumn('content_type', 'text', (c: any) => c.notNull())
    .addColumn('size', 'integer', (c: any) => c.notNull())
    .addColumn('storage_key', 'text', (c: any) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c: any) => c.references('users.id'))
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_incident').on('attachments').columns(['incident_id', 'id']).execute();

  await id(db.schema.createTable('saved_views'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('filters', 'text', (c: any) => c.notNull())
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('saved_views_user').on('saved_views').column('user_id').execute();

  await db.schema.alterTable('incidents').addColumn('last_customer_update_at', ts).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('incidents').dropColumn('last_customer_update_at').execute();
  await db.schema.dropTable('saved_views').ifExists().execute();
  await db.schema.dropTable('attachments').ifExists().execute();
}

import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never import application code here.
// Business calendars: an IANA zone, weekly working intervals and holidays (JSON), owned by the provider.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ts = pg ? 'timestamptz' : 'text';
  const table = pg
    ? db.schema.createTable('calendars').addColumn('id', 'serial', (c) => c.primaryKey())
    : db.schema.createTable('calendars').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  await table
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('hours', 'text', (c) => c.notNull())
    .addColumn('holidays', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('updated_at', ts, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendars').execute();
}

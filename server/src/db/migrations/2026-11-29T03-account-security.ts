import { randomBytes } from 'node:crypto';
import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never import application code here.
// Each user sees and revokes their own sessions: a session gets an opaque public id (never its hash),
// when and from where it was last used, and how it was opened. API tokens may be read-only and expire.

export async function up(db: Kysely<any>): Promise<void> {
  const ts = db.getExecutor().adapter instanceof PostgresAdapter ? 'timestamptz' : 'text';
  await db.schema.alterTable('sessions').addColumn('public_id', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('last_seen_at', ts).execute();
  await db.schema.alterTable('sessions').addColumn('ip', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('method', 'text', (c) => c.notNull().defaultTo('password')).execute();
  // Sessions open before this migration keep working and show in the list like the others.
  const open = await db.selectFrom('sessions').select(['id', 'created_at']).execute();
  for (const s of open) {
    await db.updateTable('sessions').set({ public_id: randomBytes(12).toString('base64url'), last_seen_at: s.created_at }).where('id', '=', s.id).execute();
  }
  await db.schema.createIndex('sessions_public_id').on('sessions').column('public_id').unique().execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id', 'expires_at']).execute();

  await db.schema.alterTable('api_tokens').addColumn('read_only', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', ts).execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('api_tokens_user').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  await db.schema.alterTable('api_tokens').dropColumn('read_only').execute();
  await db.schema.dropIndex('sessions_user').execute();
  await db.schema.dropIndex('sessions_public_id').execute();
  for (const column of ['method', 'user_agent', 'ip', 'last_seen_at', 'public_id']) {
    await db.schema.alterTable('sessions').dropColumn(column).execute();
  }
}

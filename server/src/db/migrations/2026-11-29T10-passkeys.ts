import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never import application code here.
// Passkeys (WebAuthn) as a second factor beside TOTP: each user's registered credentials (public key, signature
// counter), the pending registration challenge of each user (one at a time, short-lived, single use), and the
// WebAuthn challenge handed out for a sign-in challenge.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ts = pg ? 'timestamptz' : 'text';
  const table = db.schema.createTable('user_passkeys');
  await (pg ? table.addColumn('id', 'serial', (c) => c.primaryKey()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('counter', 'bigint', (c) => c.notNull())
    .addColumn('transports', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('last_used_at', ts)
    .execute();
  await db.schema.createIndex('user_passkeys_user').on('user_passkeys').column('user_id').execute();

  await db.schema
    .createTable('passkey_registrations')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();

  await db.schema.alterTable('login_challenges').addColumn('webauthn_challenge', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('login_challenges').dropColumn('webauthn_challenge').execute();
  await db.schema.dropTable('passkey_registrations').execute();
  await db.schema.dropTable('user_passkeys').execute();
}

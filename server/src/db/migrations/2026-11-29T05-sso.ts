import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen: never import application code here.
// Single sign-on: OpenID Connect identity providers per organization, and the links between an
// identity provider's subjects and Vigie users.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ts = pg ? 'timestamptz' : 'text';
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));

  await id(db.schema.createTable('identity_providers'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('org_id', 'integer', (c: any) => c.notNull().references('organizations.id'))
    .addColumn('issuer', 'text', (c: any) => c.notNull())
    .addColumn('client_id', 'text', (c: any) => c.notNull())
    // Sealed with the secret key (lib/secret-box.ts); null for a public client (PKCE only).
    .addColumn('client_secret', 'text')
    .addColumn('scopes', 'text', (c: any) => c.notNull())
    // JSON array of lower-case domains; unique across active providers (checked by the service).
    .addColumn('email_domains', 'text', (c: any) => c.notNull())
    .addColumn('show_button', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('auto_create', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('default_role', 'text', (c: any) => c.notNull())
    .addColumn('link_by_email', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('role_claim', 'text')
    // JSON array of {value, role}.
    .addColumn('role_mappings', 'text', (c: any) => c.notNull())
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('updated_at', ts, (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('user_identities'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id'))
    .addColumn('provider_id', 'integer', (c: any) => c.notNull().references('identity_providers.id'))
    .addColumn('issuer', 'text', (c: any) => c.notNull())
    .addColumn('subject', 'text', (c: any) => c.notNull())
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('last_login_at', ts, (c: any) => c.notNull())
    .addUniqueConstraint('user_identities_issuer_subject', ['issuer', 'subject'])
    .execute();
  await db.schema.createIndex('user_identities_user').on('user_identities').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_identities').execute();
  await db.schema.dropTable('identity_providers').execute();
}

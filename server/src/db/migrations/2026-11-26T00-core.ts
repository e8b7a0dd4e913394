import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never import application code here. One migration set serves SQLite and PostgreSQL;
// the few dialect differences (identity columns, timestamps, full-text) are decided below.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ts = pg ? 'timestamptz' : 'text';
  const id = (t: any) => (pg ? t.addColumn('id', 'serial', (c: any) => c.primaryKey()) : t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement()));

  await id(db.schema.createTable('organizations'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('code', 'text', (c: any) => c.notNull().unique())
    .addColumn('locale', 'text', (c: any) => c.notNull())
    .addColumn('timezone', 'text', (c: any) => c.notNull())
    .addColumn('maturity_level', 'integer', (c: any) => c.notNull())
    .addColumn('priority_matrix', 'text')
    .addColumn('is_provider', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('updated_at', ts, (c: any) => c.notNull())
    .execute();

  await id(db.schema.createTable('people'))
    .addColumn('org_id', 'integer', (c: any) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('locale', 'text')
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('updated_at', ts, (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('people_org_name').on('people').columns(['org_id', 'name']).execute();
  await db.schema.createIndex('people_email').on('people').column('email').execute();

  await id(db.schema.createTable('users'))
    .addColumn('email', 'text', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('role', 'text', (c: any) => c.notNull())
    .addColumn('org_id', 'integer', (c: any) => c.references('organizations.id'))
    .addColumn('org_scope', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('person_id', 'integer', (c: any) => c.references('people.id'))
    .addColumn('portal_scope', 'text', (c: any) => c.notNull().defaultTo('own'))
    .addColumn('locale', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('updated_at', ts, (c: any) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', ts, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .execute();

  await id(db.schema.createTable('api_tokens'))
    .addColumn('user_id', 'integer', (c: any) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('token_hash', 'text', (c: any) => c.notNull().unique())
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('last_used_at', ts)
    .addColumn('revoked_at', ts)
    .execute();

  await id(db.schema.createTable('login_attempts'))
    .addColumn('email', 'text', (c: any) => c.notNull())
    .addColumn('ip', 'text', (c: any) => c.notNull())
    .addColumn('at', ts, (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_email').on('login_attempts').columns(['email', 'at']).execute();
  await db.schema.createIndex('login_attempts_ip').on('login_attempts').columns(['ip', 'at']).execute();

  await id(db.schema.createTable('teams'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('updated_at', ts, (c: any) => c.notNull())
    .execute();
  await db.schema
    .createTable('team_members')
    .addColumn('team_id', 'integer', (c) => c.notNull().references('teams.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_members_user').on('team_members').column('user_id').execute();

  await id(db.schema.createTable('services'))
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('updated_at', ts, (c: any) => c.notNull())
    .execute();

  let incidents = id(db.schema.createTable('incidents'))
    .addColumn('org_id', 'integer', (c: any) => c.notNull().references('organizations.id'))
    .addColumn('caller_id', 'integer', (c: any) => c.references('people.id'))
    .addColumn('title', 'text', (c: any) => c.notNull())
    .addColumn('description', 'text', (c: any) => c.notNull())
    .addColumn('channel', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull())
    .addColumn('pending_reason', 'text')
    .addColumn('impact', 'integer', (c: any) => c.notNull())
    .addColumn('urgency', 'integer', (c: any) => c.notNull())
    .addColumn('priority', 'integer', (c: any) => c.notNull())
    .addColumn('priority_overridden', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('priority_reason', 'text')
    .addColumn('reported_at', ts, (c: any) => c.notNull())
    .addColumn('service_id', 'integer', (c: any) => c.references('services.id'))
    .addColumn('team_id', 'integer', (c: any) => c.references('teams.id'))
    .addColumn('agent_id', 'integer', (c: any) => c.references('users.id'))
    .addColumn('parent_id', 'integer', (c: any) => c.references('incidents.id'))
    .addColumn('problem_id', 'integer')
    .addColumn('resolution_code', 'text')
    .addColumn('resolution', 'text')
    .addColumn('reopen_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'integer', (c: any) => c.references('users.id'))
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('updated_at', ts, (c: any) => c.notNull())
    .addColumn('resolved_at', ts)
    .addColumn('closed_at', ts);
  if (pg) incidents = incidents.addColumn('search_vector', sql`tsvector`);
  await incidents.execute();

  // Keyset pagination: every list index ends with (sort column, id).
  const ix = (name: string, cols: string[]) => db.schema.createIndex(name).on('incidents').columns(cols).execute();
  await ix('incidents_created', ['created_at', 'id']);
  await ix('incidents_updated', ['updated_at', 'id']);
  await ix('incidents_org_created', ['org_id', 'created_at', 'id']);
  await ix('incidents_org_status_created', ['org_id', 'status', 'created_at', 'id']);
  await ix('incidents_status_created', ['status', 'created_at', 'id']);
  await ix('incidents_priority_created', ['priority', 'created_at', 'id']);
  await ix('incidents_team_created', ['team_id', 'created_at', 'id']);
  await ix('incidents_agent_created', ['agent_id', 'created_at', 'id']);
  await ix('incidents_caller_created', ['caller_id', 'created_at', 'id']);
  await ix('incidents_parent', ['parent_id']);
  if (pg) {
    await sql`create index incidents_search on incidents using gin (search_vector)`.execute(db);
  } else {
    // Contentless: the text lives in incidents; the index is kept in step by the repository.
    await sql`create virtual table incidents_fts using fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(db);
  }

  await id(db.schema.createTable('timeline_entries'))
    .addColumn('org_id', 'integer', (c: any) => c.notNull().references('organizations.id'))
    .addColumn('incident_id', 'integer', (c: any) => c.notNull().references('incidents.id'))
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('visibility', 'text', (c: any) => c.notNull())
    .addColumn('author_id', 'integer', (c: any) => c.references('users.id'))
    .addColumn('body', 'text')
    .addColumn('event', 'text')
    .addColumn('changes', 'text')
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .execute();
  await db.schema.createIndex('timeline_incident').on('timeline_entries').columns(['incident_id', 'id']).execute();

  await id(db.schema.createTable('events'))
    .addColumn('org_id', 'integer')
    .addColumn('type', 'text', (c: any) => c.notNull())
    .addColumn('aggregate_type', 'text', (c: any) => c.notNull())
    .addColumn('aggregate_id', 'integer', (c: any) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('payload', 'text', (c: any) => c.notNull())
    .addColumn('created_at', ts, (c: any) => c.notNull())
    .addColumn('processed_at', ts)
    .execute();
  await db.schema.createIndex('events_aggregate').on('events').columns(['aggregate_type', 'aggregate_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['events', 'timeline_entries', 'incidents_fts', 'incidents', 'services', 'team_members', 'teams', 'login_attempts', 'api_tokens', 'sessions', 'users', 'people', 'organizations']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

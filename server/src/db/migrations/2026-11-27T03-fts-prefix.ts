import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never import application code here.
// SQLite only: prefix indexes of 2 and 3 characters, so that short prefixes (« err », « vp ») need not scan
// every token of the index. The table is rebuilt and refilled from the incidents.

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`drop table incidents_fts`.execute(db);
  await sql`create virtual table incidents_fts using fts5(text, content='', contentless_delete=1, prefix='2 3', tokenize='unicode61 remove_diacritics 2')`.execute(db);
  await sql`insert into incidents_fts(rowid, text) select id, lower(title || ' ' || description) from incidents`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`drop table incidents_fts`.execute(db);
  await sql`create virtual table incidents_fts using fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(db);
  await sql`insert into incidents_fts(rowid, text) select id, lower(title || ' ' || description) from incidents`.execute(db);
}

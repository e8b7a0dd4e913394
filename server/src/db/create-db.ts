import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DB, Dialect } from './database.ts';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The PostgreSQL pool, for LISTEN/NOTIFY and SKIP LOCKED workers; null on SQLite. */
  pool: pg.Pool | null;
  close(): Promise<void>;
}

/**
 * Opens `sqlite:<path>` (embedded, default) or `postgres://…`.
 * @example createDatabase('sqlite:./data/vigie.db')
 */
export function createDatabase(url: string, options: { poolSize?: number } = {}): Database {
  if (/^postgres(ql)?:\/\//.test(url)) return createPostgres(url, options.poolSize ?? 10);
  if (url.startsWith('sqlite:')) return createSqlite(url.slice('sqlite:'.length));
  throw new Error(`DATABASE_URL must start with sqlite: or postgres://, got ${url}`);
}

function createSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    pool: null,
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Kysely asks better-sqlite3 to prepare every query it runs, and preparing costs as much as running a
 * simple one; the same SQL text comes back all the time, so keep the statements (least recently used
 * out first). Safe because Kysely holds SQLite's single connection for the whole of each query.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = statements.get(sql);
      if (stmt) {
        statements.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (statements.size >= max) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, stmt);
      return stmt;
    },
  };
}

// timestamptz → ISO string, bigint (count) → number: the same row shapes as SQLite.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.TIMESTAMPTZ) return (v: string) => new Date(v).toISOString();
    if (oid === pg.types.builtins.INT8) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

function createPostgres(url: string, max: number): Database {
  const pool = new pg.Pool({ connectionString: url, max, types: pgTypes });
  // An idle connection the server drops (restart, failover, admin termination) is reported here; the pool
  // discards it and reconnects on the next query. Without a listener Node would crash on it.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    pool,
    async close() {
      await db.destroy();
    },
  };
}

import { type Kysely, PostgresAdapter } from 'kysely';

const cache = new WeakMap<object, boolean>();

/** Whether a connection or transaction talks to PostgreSQL; for the few dialect-specific queries. */
export function isPostgres(db: Kysely<any>): boolean {
  const executor = db.getExecutor();
  let pg = cache.get(executor.adapter);
  if (pg === undefined) {
    pg = executor.adapter instanceof PostgresAdapter;
    cache.set(executor.adapter, pg);
  }
  return pg;
}

import type { Executor, Trx } from '../db/database.ts';

/** The JSON value stored under a key, or undefined when never set. */
export async function getSetting<T>(db: Executor, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value) as T) : undefined;
}

export async function putSetting(trx: Trx, key: string, value: unknown, at: string, by: number): Promise<void> {
  const json = JSON.stringify(value);
  await trx
    .insertInto('settings')
    .values({ key, value: json, updated_at: at, updated_by: by })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: at, updated_by: by }))
    .execute();
}

/** Stores the value unless the key has one already (another node may have stored it first); never overwrites. */
export async function insertSettingIfAbsent(db: Executor, key: string, value: unknown, at: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_at: at, updated_by: null })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

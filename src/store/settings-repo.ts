import type { Db } from './database.js';

/**
 * A server-wide setting, created with `initial` by whichever process asks first; every process
 * (and every restart) then reads the same value.
 */
export async function settingOrCreate(db: Db, name: string, initial: () => string): Promise<string> {
  await db
    .insertInto('settings')
    .values({ name, value: initial() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

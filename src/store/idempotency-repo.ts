import type { Db } from './database.js';
import { dbInstant, withDbInstants } from './dialect.js';
import type { IdempotencyKeysTable } from './schema.js';

export type IdempotencyRow = IdempotencyKeysTable;

/** The request a project made with this key, if made after `notBefore`. */
export async function findIdempotencyKey(
  db: Db,
  projectId: string,
  key: string,
  notBefore: number,
): Promise<IdempotencyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('key', '=', key)
    .where('created_date', '>=', dbInstant(db, notBefore))
    .executeTakeFirst();
}

/**
 * Records a key, replacing an expired row with the same key. A live row is never deleted here:
 * a concurrent request that saved the key first must make this insert fail (and be retried
 * into a replay).
 */
export async function saveIdempotencyKey(db: Db, row: IdempotencyRow, notBefore: number): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('project_id', '=', row.project_id)
    .where('key', '=', row.key)
    .where('created_date', '<', dbInstant(db, notBefore))
    .execute();
  await db
    .insertInto('idempotency_keys')
    .values(withDbInstants(db, row, ['created_date']))
    .execute();
}

/** Forgets the keys saved before `notBefore`. */
export async function purgeIdempotencyKeys(db: Db, notBefore: number): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_date', '<', dbInstant(db, notBefore))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

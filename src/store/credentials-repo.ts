import type { Db } from './database.js';
import { dbInstant, withDbInstants } from './dialect.js';
import type { ApiKeysTable, RuntimeTokensTable } from './schema.js';
import { precompiled } from './precompiled.js';

export type ApiKeyRow = ApiKeysTable;
export type RuntimeTokenRow = RuntimeTokensTable;

export async function insertApiKey(db: Db, row: ApiKeyRow): Promise<void> {
  await db
    .insertInto('api_keys')
    .values(withDbInstants(db, row, ['created_date', 'expires_at', 'revoked_at']))
    .execute();
}

const findApiKeyQuery = precompiled((db: Db, keyHash: string) =>
  db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash),
);

export async function findApiKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  const [row] = await findApiKeyQuery(db, keyHash);
  return row;
}

/** Revokes a key; false when there is no such unrevoked key. */
export async function revokeApiKey(db: Db, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: dbInstant(db, at) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertRuntimeToken(db: Db, row: RuntimeTokenRow): Promise<void> {
  await db
    .insertInto('runtime_tokens')
    .values(withDbInstants(db, row, ['created_date', 'revoked_at']))
    .execute();
}

export async function findRuntimeTokenByHash(db: Db, tokenHash: string): Promise<RuntimeTokenRow | undefined> {
  return db.selectFrom('runtime_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Moves a credential to another digest of the same value (see rehashLegacy in credentials.ts). */
export async function rehashApiKey(db: Db, id: string, fromHash: string, toHash: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ key_hash: toHash })
    .where('id', '=', id)
    .where('key_hash', '=', fromHash)
    .execute();
}

export async function rehashRuntimeToken(db: Db, id: string, fromHash: string, toHash: string): Promise<void> {
  await db
    .updateTable('runtime_tokens')
    .set({ token_hash: toHash })
    .where('id', '=', id)
    .where('token_hash', '=', fromHash)
    .execute();
}

/** The project's live (unrevoked) keys, not yet ordered or limited. */
export function liveApiKeysOf(db: Db, projectId: string) {
  return db.selectFrom('api_keys').selectAll().where('project_id', '=', projectId).where('revoked_at', 'is', null);
}

export async function findLiveApiKey(db: Db, projectId: string, id: string): Promise<ApiKeyRow | undefined> {
  return liveApiKeysOf(db, projectId).where('id', '=', id).executeTakeFirst();
}

export async function updateApiKey(
  db: Db,
  id: string,
  changes: Partial<Pick<ApiKeyRow, 'name' | 'restricted' | 'permissions' | 'expires_at'>>,
): Promise<void> {
  await db
    .updateTable('api_keys')
    .set(withDbInstants(db, changes, ['expires_at']))
    .where('id', '=', id)
    .execute();
}

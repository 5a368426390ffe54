import type { Db } from '../../store/database.js';
import { revokeApiKey as revokeApiKeyRow } from '../../store/credentials-repo.js';
import { nowMicros } from '../../kernel/time.js';
import type { CredentialCache } from './credential-cache.js';
import { apiKeyErrors } from './errors.js';
import { existingApiKey } from './existing-api-key.js';
import type { Operator, Principal } from './principal.js';
import { withinCaller } from './key-rules.js';
import { permissionsOf } from './view.js';

/**
 * Revokes a key at once. A project's key (DELETE /v1/api_key/{id}) revokes its project's keys
 * within its own permissions; the operator (`diga-api keys revoke`) revokes any key by its id.
 * API_KEY_NOT_FOUND when there is no such unrevoked key. The next request with it is a 401: in
 * this process at once when its cache is given (it is cleared), within the cache's TTL in every
 * other process.
 */
export async function revokeApiKey(
  db: Db,
  revoker: Principal | Operator,
  id: string,
  cache?: CredentialCache,
): Promise<void> {
  if ('operator' in revoker) {
    if (!(await revokeApiKeyRow(db, id, nowMicros()))) throw apiKeyErrors.notFound();
  } else {
    const row = await existingApiKey(db, revoker.projectId, id);
    if (!withinCaller(revoker, permissionsOf(row))) throw apiKeyErrors.keyBeyondOwnPermissions('delete');
    await revokeApiKeyRow(db, id, nowMicros());
  }
  cache?.clear();
}

import type { Db } from '../../store/database.js';
import { updateApiKey as updateApiKeyRow } from '../../store/credentials-repo.js';
import type { CredentialCache } from './credential-cache.js';
import { apiKeyErrors } from './errors.js';
import { existingApiKey } from './existing-api-key.js';
import type { ApiKeyRequest } from './issue-api-key.js';
import { assertFuture, grantOf, narrowerOrEqual, withinCaller, withinCallerExpiry } from './key-rules.js';
import type { Principal } from './principal.js';
import { permissionsOf, toApiKeyView, type ApiKeyView } from './view.js';

export type ApiKeyChanges = Partial<ApiKeyRequest>;

/**
 * Renames a key, changes its permissions or expiry. A restricted caller may only touch keys
 * within its own permissions, and only keep them there. Cached verifications are dropped, so
 * narrowed permissions apply from the next request.
 */
export async function updateApiKey(
  db: Db,
  caller: Principal,
  id: string,
  changes: ApiKeyChanges,
  cache: CredentialCache,
): Promise<ApiKeyView> {
  const row = await existingApiKey(db, caller.projectId, id);
  if (!withinCaller(caller, permissionsOf(row))) throw apiKeyErrors.keyBeyondOwnPermissions('change');
  if (changes.expiresAt !== undefined) assertFuture(changes.expiresAt);
  const restricted = changes.restricted ?? row.restricted === 1;
  const permissions =
    changes.restricted === undefined && changes.permissions === undefined
      ? permissionsOf(row)
      : grantOf(restricted, changes.permissions === undefined ? permissionsOf(row) : changes.permissions);
  if (!withinCaller(caller, permissions)) throw apiKeyErrors.grantBeyondOwnPermissions();
  const expiresAt = changes.expiresAt === undefined ? row.expires_at : changes.expiresAt;
  // A key that outlives the caller may still be renamed or narrowed, never extended or widened.
  if (
    !withinCallerExpiry(caller, expiresAt) &&
    (changes.expiresAt !== undefined || !narrowerOrEqual(permissions, permissionsOf(row)))
  ) {
    throw apiKeyErrors.expiryBeyondOwn('change');
  }
  const updated = {
    name: changes.name ?? row.name,
    restricted: permissions === null ? 0 : 1,
    permissions: permissions === null ? null : JSON.stringify(permissions),
    expires_at: expiresAt,
  };
  await updateApiKeyRow(db, id, updated);
  cache.clear();
  return toApiKeyView({ ...row, ...updated });
}

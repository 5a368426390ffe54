import type { Permission } from '../../contract/api-keys.js';
import type { Db } from '../../store/database.js';
import { insertApiKey, type ApiKeyRow } from '../../store/credentials-repo.js';
import { findProject } from '../../store/projects-repo.js';
import { nowMicros, type Micros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import { projectErrors } from '../projects/errors.js';
import { apiKeyErrors } from './errors.js';
import { assertFuture, grantOf, withinCaller, withinCallerExpiry } from './key-rules.js';
import type { Principal, ProjectOperator } from './principal.js';
import { generateApiKey } from './secrets.js';
import { toApiKeyView, type CreatedApiKeyView } from './view.js';

/** A key as asked for: unrestricted (permissions ignored) or restricted to `permissions`. */
export interface ApiKeyRequest {
  name: string;
  restricted: boolean;
  permissions?: Permission[] | null;
  expiresAt?: Micros | null;
}

/**
 * Who asks for a key, and so in which project it is made. A project's API key
 * (POST /v1/api_key/) issues keys within its own permissions, expiring in the future, and is
 * their creator. The operator issues any key in any project that exists.
 */
export type KeyIssuer = Principal | ProjectOperator;

/** Stands in for `creator_id` on keys the operator issues, before there are users. */
const SYSTEM_CREATOR_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Makes a key and returns its value, the only time it exists outside the caller (only a digest
 * is kept): the one place keys are made, for the API, the CLI and the first start alike.
 */
export async function issueApiKey(db: Db, issuer: KeyIssuer, request: ApiKeyRequest): Promise<CreatedApiKeyView> {
  const permissions = grantOf(request.restricted, request.permissions);
  let creatorId: string;
  if ('operator' in issuer) {
    if ((await findProject(db, issuer.projectId)) === undefined) throw projectErrors.notFound(issuer.projectId);
    creatorId = SYSTEM_CREATOR_ID;
  } else {
    assertFuture(request.expiresAt);
    if (!withinCaller(issuer, permissions)) throw apiKeyErrors.keyBeyondOwnPermissions('create');
    if (!withinCallerExpiry(issuer, request.expiresAt ?? null)) throw apiKeyErrors.expiryBeyondOwn('create');
    creatorId = issuer.keyId;
  }
  const secret = generateApiKey();
  const row: ApiKeyRow = {
    id: newId(),
    project_id: issuer.projectId,
    name: request.name,
    key_hash: secret.hash,
    last_four_digits: secret.lastFour,
    restricted: permissions === null ? 0 : 1,
    permissions: permissions === null ? null : JSON.stringify(permissions),
    creator_id: creatorId,
    expires_at: request.expiresAt ?? null,
    revoked_at: null,
    created_date: nowMicros(),
  };
  await insertApiKey(db, row);
  return { ...toApiKeyView(row), value: secret.value };
}

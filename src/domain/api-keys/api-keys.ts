import { ApiError, errors, RequestValidationError } from '../../kernel/errors.js';
import type { Db } from '../../store/database.js';
import {
  findLiveApiKey,
  insertApiKey,
  liveApiKeysOf,
  revokeApiKey as revokeApiKeyRow,
  updateApiKey as updateApiKeyRow,
  type ApiKeyRow,
} from '../../store/credentials-repo.js';
import { findProject } from '../../store/projects-repo.js';
import type { CredentialCache } from './credential-cache.js';
import type { Principal } from './principal.js';
import { paginate } from '../paginate.js';
import { filteredListing } from '../../store/keyset.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import type { Permission } from '../../contract/api-keys.js';
import { isPermission } from './permissions.js';
import { generateApiKey } from './secrets.js';
import { formatInstant, nowMicros, type Micros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';

/** Diga's RedactedApiKeyResponseSchema: a key as listings show it, never its value. */
export interface ApiKeyView {
  id: string;
  name: string;
  created_date: string;
  last_four_digits: string;
  creator_id: string;
  permissions: Permission[] | null;
  restricted: boolean;
}

/** ApiKeyResponse: the view plus the value, shown once, at creation. */
export type CreatedApiKeyView = ApiKeyView & { value: string };

/** A key as asked for: unrestricted (permissions ignored) or restricted to `permissions`. */
export interface ApiKeyRequest {
  name: string;
  restricted: boolean;
  permissions?: Permission[] | null;
  expiresAt?: Micros | null;
}

export type ApiKeyChanges = Partial<ApiKeyRequest>;

const apiKeyNotFound = () => new ApiError(404, 'API_KEY_NOT_FOUND', 'Error from ApiKeyNotFoundException');

/** Stands in for `creator_id` on keys the operator issues, before there are users. */
const SYSTEM_CREATOR_ID = '00000000-0000-0000-0000-000000000000';

/** The operator (the CLI, the first start) issuing a key in a project. */
export interface Operator {
  operator: true;
  projectId: string;
}

export const operatorIn = (projectId: string): Operator => ({ operator: true, projectId });

/**
 * Who asks for a key, and so in which project it is made. A project's API key
 * (POST /v1/api_key/) issues keys within its own permissions, expiring in the future, and is
 * their creator. The operator issues any key in any project that exists.
 */
export type KeyIssuer = Principal | Operator;

/**
 * Makes a key and returns its value, the only time it exists outside the caller (only a digest
 * is kept): the one place keys are made, for the API, the CLI and the first start alike.
 */
export async function issueApiKey(db: Db, issuer: KeyIssuer, request: ApiKeyRequest): Promise<CreatedApiKeyView> {
  const permissions = grantOf(request.restricted, request.permissions);
  let creatorId: string;
  if ('operator' in issuer) {
    if ((await findProject(db, issuer.projectId)) === undefined) throw errors.projectNotFound(issuer.projectId);
    creatorId = SYSTEM_CREATOR_ID;
  } else {
    assertFuture(request.expiresAt);
    assertWithinCaller(issuer, permissions, 'create an API key with permissions beyond its own');
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

export async function listProjectApiKeys(db: Db, projectId: string, request: PageRequest): Promise<Page<ApiKeyView>> {
  return paginate(
    request,
    {
      items: filteredListing(db, liveApiKeysOf(db, projectId)),
      createdDateOf: async (id) => (await findLiveApiKey(db, projectId, id))?.created_date,
      noun: 'API key',
    },
    toApiKeyView,
  );
}

export async function getProjectApiKey(db: Db, projectId: string, id: string): Promise<ApiKeyView> {
  const row = await findLiveApiKey(db, projectId, id);
  if (row === undefined) throw apiKeyNotFound();
  return toApiKeyView(row);
}

/**
 * Renames a key, changes its permissions or expiry. A restricted caller may only touch keys
 * within its own permissions, and only keep them there. Cached verifications are dropped, so
 * narrowed permissions apply from the next request.
 */
export async function updateProjectApiKey(
  db: Db,
  caller: Principal,
  id: string,
  changes: ApiKeyChanges,
  cache: CredentialCache,
): Promise<ApiKeyView> {
  const row = await findLiveApiKey(db, caller.projectId, id);
  if (row === undefined) throw apiKeyNotFound();
  assertWithinCaller(caller, permissionsOf(row), 'change an API key with permissions beyond its own');
  if (changes.expiresAt !== undefined) assertFuture(changes.expiresAt);
  const restricted = changes.restricted ?? row.restricted === 1;
  const permissions =
    changes.restricted === undefined && changes.permissions === undefined
      ? permissionsOf(row)
      : grantOf(restricted, changes.permissions === undefined ? permissionsOf(row) : changes.permissions);
  assertWithinCaller(caller, permissions, 'give an API key permissions beyond its own');
  const updated = {
    name: changes.name ?? row.name,
    restricted: permissions === null ? 0 : 1,
    permissions: permissions === null ? null : JSON.stringify(permissions),
    expires_at: changes.expiresAt === undefined ? row.expires_at : changes.expiresAt,
  };
  await updateApiKeyRow(db, id, updated);
  cache.clear();
  return toApiKeyView({ ...row, ...updated });
}

/** Revokes a key at once: its next request is a 401 (in other processes within the cache TTL). */
export async function deleteProjectApiKey(
  db: Db,
  caller: Principal,
  id: string,
  cache: CredentialCache,
): Promise<void> {
  const row = await findLiveApiKey(db, caller.projectId, id);
  if (row === undefined) throw apiKeyNotFound();
  assertWithinCaller(caller, permissionsOf(row), 'delete an API key with permissions beyond its own');
  await revokeApiKeyRow(db, id, nowMicros());
  cache.clear();
}

function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    created_date: formatInstant(row.created_date),
    last_four_digits: row.last_four_digits,
    creator_id: row.creator_id,
    permissions: permissionsOf(row),
    restricted: row.restricted === 1,
  };
}

function permissionsOf(row: ApiKeyRow): Permission[] | null {
  return row.restricted === 1 ? (JSON.parse(row.permissions ?? '[]') as string[]).filter(isPermission) : null;
}

/** null (everything) for an unrestricted key; else the distinct permissions, in the enum's order. */
function grantOf(restricted: boolean, permissions: Permission[] | null | undefined): Permission[] | null {
  if (!restricted) return null;
  return [...new Set(permissions ?? [])];
}

function assertWithinCaller(caller: Principal, permissions: Permission[] | null, action: string): void {
  if (caller.permissions === null) return;
  const granted = caller.permissions;
  if (permissions === null || permissions.some((p) => !granted.has(p))) throw errors.missingPermissions(action);
}

function assertFuture(expiresAt: Micros | null | undefined): void {
  if (expiresAt === undefined || expiresAt === null || expiresAt > nowMicros()) return;
  throw new RequestValidationError([
    {
      type: 'value_error',
      loc: ['body', 'expiry_date'],
      msg: 'Value error, expiry_date must be in the future',
      input: formatInstant(expiresAt),
    },
  ]);
}

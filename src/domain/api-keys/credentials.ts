import type { Db } from '../../store/database.js';
import {
  findApiKeyByHash,
  findRuntimeTokenByHash,
  insertRuntimeToken,
  rehashApiKey,
  rehashRuntimeToken,
} from '../../store/credentials-repo.js';
import type { CredentialCache } from './credential-cache.js';
import { isPermission } from './permissions.js';
import type { Principal } from './principal.js';
import {
  API_KEY_PATTERN,
  generateRuntimeToken,
  hashSecret,
  pepperInUse,
  RUNTIME_TOKEN_PATTERN,
  sameDigest,
  unpepperedDigest,
} from './secrets.js';
import { nowMicros, type Micros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';

/**
 * The principal behind an API key value if it was verified recently (no store lookup). Late in
 * that verification's life, one use has the key looked up again in the background, so a key in
 * steady use stays cached and a revoked one still drops out within the TTL (credential-cache.ts).
 */
export function cachedApiKey(
  db: Db,
  value: string,
  cache: CredentialCache,
  now: Micros = nowMicros(),
): Principal | undefined {
  if (!API_KEY_PATTERN.test(value)) return undefined;
  const keyHash = hashSecret(value);
  const principal = cache.get(keyHash, now);
  if (principal !== undefined && cache.claimRenewal(keyHash, now)) {
    // Nothing waits for it: if the lookup fails, the entry goes stale as it would have, and the
    // next request looks the key up itself (and reports the store's failure).
    lookUpApiKey(db, value, keyHash, cache, now).catch(() => undefined);
  }
  return principal;
}

/** The principal behind an API key value, or undefined if it is unknown, revoked or expired. */
export async function authenticateApiKey(
  db: Db,
  value: string,
  cache?: CredentialCache,
  now: Micros = nowMicros(),
): Promise<Principal | undefined> {
  if (!API_KEY_PATTERN.test(value)) return undefined;
  const keyHash = hashSecret(value);
  return cache?.get(keyHash, now) ?? (await lookUpApiKey(db, value, keyHash, cache, now));
}

/** The store's verdict on a key, which the cache then holds (a valid key) or forgets. */
async function lookUpApiKey(
  db: Db,
  value: string,
  keyHash: string,
  cache: CredentialCache | undefined,
  now: Micros,
): Promise<Principal | undefined> {
  const since = cache?.snapshot(now);
  const row = await findByDigest(
    value,
    keyHash,
    (hash) => findApiKeyByHash(db, hash),
    (row, from) => rehashApiKey(db, row.id, from, keyHash),
  );
  if (row === undefined || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) {
    cache?.delete(keyHash);
    return undefined;
  }
  const permissions =
    row.restricted === 1 ? new Set((JSON.parse(row.permissions ?? '[]') as string[]).filter(isPermission)) : null;
  const principal = { projectId: row.project_id, keyId: row.id, permissions, expiresAt: row.expires_at };
  cache?.set(keyHash, principal, row.expires_at, now, since);
  return principal;
}

export async function authenticateRuntimeToken(db: Db, value: string): Promise<{ tokenId: string } | undefined> {
  if (!RUNTIME_TOKEN_PATTERN.test(value)) return undefined;
  const tokenHash = hashSecret(value);
  const row = await findByDigest(
    value,
    tokenHash,
    (hash) => findRuntimeTokenByHash(db, hash),
    (row, from) => rehashRuntimeToken(db, row.id, from, tokenHash),
  );
  if (row === undefined || row.revoked_at !== null) return undefined;
  return { tokenId: row.id };
}

/**
 * The credential row stored under `digest`, compared again in constant time. A credential made
 * before the deployment configured its pepper is stored under the plain SHA-256 digest: it is
 * found under that, and moved to the peppered digest now that its value is at hand, so keys
 * survive turning the pepper on and the plain digests disappear as keys are used.
 */
async function findByDigest<Row extends { id: string; key_hash?: string; token_hash?: string }>(
  value: string,
  digest: string,
  find: (hash: string) => Promise<Row | undefined>,
  rehash: (row: Row, fromHash: string) => Promise<void>,
): Promise<Row | undefined> {
  const stored = (row: Row) => (row.key_hash ?? row.token_hash) as string;
  const row = await find(digest);
  if (row !== undefined) return sameDigest(stored(row), digest) ? row : undefined;
  if (!pepperInUse()) return undefined;
  const legacy = unpepperedDigest(value);
  const old = await find(legacy);
  if (old === undefined || !sameDigest(stored(old), legacy)) return undefined;
  await rehash(old, legacy);
  return old;
}

export interface CreatedCredential {
  id: string;
  name: string;
  /** Shown once; only its hash is kept. */
  value: string;
  last_four_digits: string;
}

export async function createRuntimeToken(db: Db, name: string): Promise<CreatedCredential> {
  const secret = generateRuntimeToken();
  const row = { id: newId(), name, token_hash: secret.hash, revoked_at: null, created_date: nowMicros() };
  await insertRuntimeToken(db, row);
  return { id: row.id, name, value: secret.value, last_four_digits: secret.lastFour };
}

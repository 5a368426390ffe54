import type { CredentialCache } from '../domain/credential-cache.js';
import type { Db } from '../store/database.js';

/** What every route plugin is given. */
export interface RouteDeps {
  db: Db;
  /** Verified API keys, shared by every route of one app. */
  credentialCache: CredentialCache;
}

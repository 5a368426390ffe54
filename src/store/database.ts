import type { Kysely } from 'kysely';
import type { Dialect } from './dialect.js';
import type { Database } from './schema.js';

/**
 * The store as every layer above it sees it, whichever backend it is (open-store.ts chooses):
 * here, apart from the backends, so that they and the shared repositories depend on it and not
 * on each other.
 */
export type Db = Kysely<Database>;

export interface Store {
  db: Db;
  dialect: Dialect;
  /** What the store is, for logs and banners: never includes credentials. */
  description: string;
  /** Moves whenever another connection commits (SQLite's data_version); absent on PostgreSQL. */
  generation?: () => number;
  close(): Promise<void>;
}

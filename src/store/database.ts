import type { Kysely } from 'kysely';
import type { Dialect } from './dialect.js';
import { openPostgresStore, type PostgresOptions } from './postgres/postgres-store.js';
import type { Database } from './schema.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

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

export type StoreOptions = Partial<PostgresOptions>;

/**
 * Opens the store a database URL names: `postgres://…` (or `postgresql://…`) for PostgreSQL;
 * otherwise the embedded SQLite store, as a file path, `sqlite:PATH`, `file:PATH` or `:memory:`.
 */
export function openStore(databaseUrl: string, options: StoreOptions = {}): Store {
  if (isPostgresUrl(databaseUrl)) return openPostgresStore(databaseUrl, options);
  return openSqliteStore(sqlitePath(databaseUrl));
}

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^(sqlite|file):(\/\/)?/i, '');
}

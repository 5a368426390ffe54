import type { Store } from './database.js';
import { openPostgresStore, type PostgresOptions } from './postgres/postgres-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

export type StoreOptions = Partial<PostgresOptions>;

/**
 * Opens the store a database URL names: `postgres://…` (or `postgresql://…`) for PostgreSQL;
 * otherwise the embedded SQLite store, as a file path, `sqlite:PATH`, `file:PATH` or `:memory:`.
 */
export function openStore(databaseUrl: string, options: StoreOptions = {}): Store {
  if (isPostgresUrl(databaseUrl)) return openPostgresStore(databaseUrl, options);
  return openSqliteStore(sqlitePath(databaseUrl));
}

function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^(sqlite|file):(\/\/)?/i, '');
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface Store {
  db: Db;
  /** What the store is, for logs and banners: never includes credentials. */
  description: string;
  close(): Promise<void>;
}

/**
 * Opens the store a database URL names. SQLite is the embedded default: a file path,
 * `sqlite:PATH`, `file:PATH`, or `:memory:`.
 */
export function openStore(databaseUrl: string): Store {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    throw new Error('PostgreSQL stores are not supported by this build yet; use a SQLite path.');
  }
  return openSqliteStore(sqlitePath(databaseUrl));
}

export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^(sqlite|file):(\/\/)?/i, '');
}

function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers run beside the writer; FULL makes every acknowledged commit survive power loss.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    description: path === ':memory:' ? 'SQLite (in memory)' : `SQLite ${path}`,
    close: () => db.destroy(),
  };
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { withBackend } from '../backend.js';
import type { Store } from '../database.js';
import type { Database } from '../schema.js';
import { SqliteCheckpointer } from './sqlite-checkpointer.js';
import { SqliteReader } from './sqlite-reader.js';

/** The embedded store: one SQLite file in WAL mode. */
export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers run beside the writer; FULL makes every acknowledged commit survive power loss.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Statement journals (a multi-row insert's undo record inside a transaction) in memory: in a
  // temporary file they were half of ingestion's write syscalls (strace: 19,000 page writes for
  // 1,000 calls), for a journal that never outlives its statement.
  sqlite.pragma('temp_store = MEMORY');
  const inFile = path !== ':memory:';
  // A file's WAL is copied back by a thread of its own (sqlite-checkpointer.ts), not inside this
  // connection's commits. The writer still checkpoints every ~40 MB of WAL: by then the thread has
  // copied nearly all of it, and only a checkpoint between two write transactions lets the next
  // one start the WAL over (under steady ingestion the thread's checkpoints never quite catch up,
  // and the WAL would grow until this limit).
  if (inFile) sqlite.pragma('wal_autocheckpoint = 10000');
  const checkpointer = inFile
    ? SqliteCheckpointer.start(path, undefined, (error) => process.emitWarning(error, 'SqliteCheckpointWarning'))
    : undefined;
  // A file has a second, read-only connection for the hot reads; an in-memory store cannot.
  const reader = inFile ? SqliteReader.open(path) : undefined;
  const database = withStatementCache(sqlite, () => reader?.endTurn());
  const db = new Kysely<Database>({ dialect: withBackend(new SqliteDialect({ database }), { reader }) });
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  return {
    db,
    dialect: 'sqlite',
    description: path === ':memory:' ? 'SQLite (in memory)' : `SQLite ${path}`,
    generation: () => dataVersion.get() as number,
    close: async () => {
      await checkpointer?.stop();
      reader?.close();
      await db.destroy();
    },
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely's SQLite driver sees it, with two changes. Prepared statements are
 * reused: the driver prepares every query anew, which profiling showed to be an eighth of a GET's
 * CPU time, and a query's SQL text is the same on every call. And transactions begin IMMEDIATE,
 * taking the write lock at once: every transaction here writes, and a deferred one that reads
 * first can fail with SQLITE_BUSY instead of waiting when another process (the CLI) writes.
 * A rollback when SQLite has already rolled the transaction back itself (it does on
 * SQLITE_FULL and some I/O errors) does nothing, so the client sees the real cause, not
 * "cannot rollback - no transaction is active". Every statement that leaves the connection
 * outside a transaction (a commit, a write on its own) calls `committed`, which ends the read
 * connection's snapshot of the turn (sqlite-reader.ts), so that no read after it misses it.
 */
function withStatementCache(
  sqlite: SQLite.Database,
  committed: () => void,
): { prepare(sql: string): SQLite.Statement; close(): void } {
  const statements = new Map<string, SQLite.Statement>();
  const rollback = sqlite.prepare('rollback');
  const rollbackIfOpen = {
    reader: false,
    run: () => (sqlite.inTransaction ? rollback.run() : { changes: 0, lastInsertRowid: 0 }),
  } as unknown as SQLite.Statement;
  return {
    prepare(sql: string) {
      if (sql === 'rollback') return rollbackIfOpen;
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = endingTurn(sqlite.prepare(sql === 'begin' ? 'begin immediate' : sql), sqlite, committed);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => sqlite.close(),
  };
}

/** The statement as Kysely's driver uses it, calling `committed` when it leaves no transaction open. */
function endingTurn(statement: SQLite.Statement, sqlite: SQLite.Database, committed: () => void): SQLite.Statement {
  const after = () => {
    if (!sqlite.inTransaction) committed();
  };
  return {
    reader: statement.reader,
    all: (parameters: unknown[]) => {
      try {
        return statement.all(parameters);
      } finally {
        after();
      }
    },
    run: (parameters: unknown[]) => {
      try {
        return statement.run(parameters);
      } finally {
        after();
      }
    },
    *iterate(parameters: unknown[]) {
      try {
        yield* statement.iterate(parameters);
      } finally {
        after();
      }
    },
  } as unknown as SQLite.Statement;
}

import SQLite from 'better-sqlite3';
import { perInstance } from './per-instance.js';

/**
 * A second, read-only connection to a SQLite file store, for the hot point reads (see
 * precompiled.ts). In WAL mode it reads the last committed state without waiting for the
 * writer: Kysely's one connection would queue a GET behind whole ingestion transactions, and
 * running the read on that connection between a transaction's statements would see its
 * uncommitted writes. Its statements run synchronously, without Kysely's per-query machinery.
 */
export class SqliteReader {
  private readonly statements = new Map<string, SQLite.Statement>();

  private constructor(private readonly sqlite: SQLite.Database) {}

  static open(path: string): SqliteReader {
    const sqlite = new SQLite(path, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    return new SqliteReader(sqlite);
  }

  all<R>(sql: string, parameters: readonly unknown[]): R[] {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement.all(parameters) as R[];
  }

  close(): void {
    this.sqlite.close();
  }
}

const readers = perInstance<SqliteReader>();

export const attachReader = readers.attach;

/** The reader of a SQLite file store's Kysely instance; none in a transaction or in memory. */
export const readerOf = readers.of;

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
  private readonly queries = new Map<string, { statement: SQLite.Statement; rowsOf: RowBuilder }>();

  private constructor(private readonly sqlite: SQLite.Database) {}

  static open(path: string): SqliteReader {
    const sqlite = new SQLite(path, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    return new SqliteReader(sqlite);
  }

  all<R>(sql: string, parameters: readonly unknown[]): R[] {
    let query = this.queries.get(sql);
    if (query === undefined) {
      const statement = this.sqlite.prepare(sql).raw(true);
      query = { statement, rowsOf: rowBuilder(statement.columns().map((column) => column.name)) };
      this.queries.set(sql, query);
    }
    return query.rowsOf(query.statement.all(parameters) as unknown[][]) as R[];
  }

  close(): void {
    this.sqlite.close();
  }
}

type RowBuilder = (raw: unknown[][]) => unknown[];

/**
 * Rows as objects, as better-sqlite3 returns them, but built by an object literal compiled for
 * the query's columns from the rows it returns as arrays: better-sqlite3 sets each column on a
 * new object from C++, which cost a GET by id a tenth of its SQLite time and 3–6 µs per request
 * in all (docs/BENCHMARKS.md, eighth session). A repeated column name keeps its last value, as
 * better-sqlite3's own objects do.
 */
function rowBuilder(columns: readonly string[]): RowBuilder {
  const fields = columns.map((name, index) => `${JSON.stringify(name)}: row[${index}]`).join(', ');
  return new Function('rows', `return rows.map((row) => ({ ${fields} }));`) as RowBuilder;
}

const readers = perInstance<SqliteReader>();

export const attachReader = readers.attach;

/** The reader of a SQLite file store's Kysely instance; none in a transaction or in memory. */
export const readerOf = readers.of;

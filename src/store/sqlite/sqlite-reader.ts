import SQLite from 'better-sqlite3';
import type { DirectReader } from '../backend.js';

/**
 * A second, read-only connection to a SQLite file store, for the hot point reads (see
 * precompiled.ts). In WAL mode it reads the last committed state without waiting for the
 * writer: Kysely's one connection would queue a GET behind whole ingestion transactions, and
 * running the read on that connection between a transaction's statements would see its
 * uncommitted writes. Its statements run synchronously, without Kysely's per-query machinery.
 *
 * The reads of a GET's fast path share one read transaction per event-loop turn (readInTurn): begun
 * by the first, committed when the turn's immediates run, so that the reads after it skip SQLite's
 * per-statement locking and WAL-index work (docs/BENCHMARKS.md, "SQLite: one read snapshot per
 * turn, rows as arrays"). A read must still see every write acknowledged before its request arrived.
 * This process's own writes end the snapshot as they commit (endTurn, called by the writer's
 * connection: sqlite-store.ts). Another process's commit (the CLI's) is seen from the next turn on:
 * the fast path runs as a request is read from its socket, in libuv's poll phase, and its snapshot
 * ends in the check phase that follows, before the next poll reads any request. (A pipelined
 * request held back until an earlier answer on its connection is sent, when that answer is sent
 * from an immediate, is parsed in the check phase; its snapshot then lasts one turn more.)
 */
export class SqliteReader implements DirectReader {
  private readonly queries = new Map<string, { statement: SQLite.Statement; rowsOf: RowBuilder }>();

  private readonly begin: SQLite.Statement;
  private readonly commit: SQLite.Statement;

  private constructor(private readonly sqlite: SQLite.Database) {
    this.begin = sqlite.prepare('begin');
    this.commit = sqlite.prepare('commit');
  }

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

  /** all(), within this turn's read transaction, which the first such read begins. */
  readInTurn<R>(sql: string, parameters: readonly unknown[]): R[] {
    if (!this.sqlite.inTransaction) {
      this.begin.run();
      setImmediate(this.endTurn);
    }
    return this.all(sql, parameters);
  }

  /** Ends the turn's read transaction, if one is open: the next read sees the latest commit. */
  readonly endTurn = (): void => {
    if (!this.sqlite.inTransaction) return;
    try {
      this.commit.run();
    } catch {
      // Ending a read transaction releases locks and cannot conflict; should it fail anyway, no
      // read may go on in the old snapshot.
      this.sqlite.exec('rollback');
    }
  };

  close(): void {
    this.endTurn();
    this.sqlite.close();
  }
}

type RowBuilder = (raw: unknown[][]) => unknown[];

/**
 * Rows as objects, as better-sqlite3 returns them, but built by an object literal compiled for
 * the query's columns from the rows it returns as arrays: better-sqlite3 sets each column on a
 * new object from C++, the costliest part of a GET's read (docs/BENCHMARKS.md, "SQLite: one read
 * snapshot per turn, rows as arrays"). A repeated
 * column name keeps its last value, as better-sqlite3's own objects do.
 */
function rowBuilder(columns: readonly string[]): RowBuilder {
  const fields = columns.map((name, index) => `${JSON.stringify(name)}: row[${index}]`).join(', ');
  return new Function('rows', `return rows.map((row) => ({ ${fields} }));`) as RowBuilder;
}

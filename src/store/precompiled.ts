import type { Compilable, CompiledQuery } from 'kysely';
import { backendOf } from './backend.js';
import type { Db } from './database.js';
import { dialectOf, type Dialect } from './dialect.js';

/** Where a compiled parameter's value comes from: a parameter, or a key of a row parameter. */
type Slot = { param: number; key?: string } | undefined;

export interface Precompiled<P extends unknown[], R> {
  (db: Db, ...params: P): Promise<R[]>;
  /**
   * The rows at once, without a promise, where the query can run synchronously: a read on a
   * SQLite file store's read connection, outside a transaction. Undefined anywhere else (then
   * call the query itself). For the one request whose every microsecond counts (GET by id).
   */
  now(db: Db, ...params: P): R[] | undefined;
}

/**
 * A query built and compiled by Kysely once per dialect, then run with new parameter values:
 * for the hot paths, where building and compiling the same query on every request cost about a
 * third of a GET's CPU time, and a sixth of ingestion's. `build` receives placeholders: a string
 * for a scalar parameter, and for a row (a plain object) an object with the same keys, each a
 * placeholder. They are located in the compiled parameter list, so any query shape works, on two
 * conditions: `build` only hands its parameters to Kysely as values, and a row parameter has the
 * same keys on every call (the first call's keys are the query's columns). Outside a transaction,
 * the reads bypass Kysely, through the store's backend (backend.ts): a SQLite file store runs them
 * on its read-only connection (sqlite/sqlite-reader.ts), PostgreSQL sends them straight to its
 * pool (postgres/postgres-reader.ts). On PostgreSQL every precompiled query, read or write, runs
 * as a named prepared statement, under the name its store gives it
 * (postgres/prepared-statements.ts).
 */
export function precompiled<P extends unknown[], R>(build: (db: Db, ...params: P) => Compilable<R>): Precompiled<P, R> {
  const compiledFor = new Map<Dialect, { query: CompiledQuery<R>; slots: Slot[]; reads: boolean }>();
  const compiled = (db: Db, dialect: Dialect, params: P) => {
    let entry = compiledFor.get(dialect);
    if (entry === undefined) {
      entry = compile(build, db, params);
      compiledFor.set(dialect, entry);
    }
    const { query, slots, reads } = entry;
    const parameters = slots.map((slot, i) => {
      if (slot === undefined) return query.parameters[i];
      const value = params[slot.param];
      return slot.key === undefined ? value : (value as Record<string, unknown>)[slot.key];
    });
    return { query, parameters, reads };
  };
  const run = async (db: Db, ...params: P): Promise<R[]> => {
    const { query, parameters, reads } = compiled(db, dialectOf(db), params);
    const { reader, statements } = backendOf(db);
    if (reads && reader !== undefined && !db.isTransaction) return reader.all<R>(query.sql, parameters);
    statements?.prepare(query.sql);
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
  const now = (db: Db, ...params: P): R[] | undefined => {
    const reader = db.isTransaction ? undefined : backendOf(db).reader;
    if (reader?.readInTurn === undefined) return undefined;
    const { query, parameters, reads } = compiled(db, dialectOf(db), params);
    return reads ? reader.readInTurn<R>(query.sql, parameters) : undefined;
  };
  return Object.assign(run, { now });
}

function compile<P extends unknown[], R>(build: (db: Db, ...params: P) => Compilable<R>, db: Db, params: P) {
  const slotOf = new Map<string, Slot>();
  const placeholder = (slot: NonNullable<Slot>) => {
    const text = `\u0000placeholder-${slotOf.size}\u0000`;
    slotOf.set(text, slot);
    return text;
  };
  const placeholders = params.map((value, param) =>
    isRow(value)
      ? Object.fromEntries(Object.keys(value).map((key) => [key, placeholder({ param, key })]))
      : placeholder({ param }),
  ) as P;
  const query = build(db, ...placeholders).compile();
  const slots = query.parameters.map((value) => (typeof value === 'string' ? slotOf.get(value) : undefined));
  return { query, slots, reads: query.query.kind === 'SelectQueryNode' };
}

function isRow(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

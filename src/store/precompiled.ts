import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './database.js';
import { dialectOf, type Dialect } from './dialect.js';
import { readerOf } from './sqlite-reader.js';

/**
 * The SQL text of every precompiled query, with the name PostgreSQL knows it by: the
 * PostgreSQL store runs these as named prepared statements (see postgres-store.ts), parsed and
 * planned once per connection instead of on every request.
 */
export const preparedStatementNames = new Map<string, string>();

/**
 * A query built and compiled by Kysely once per dialect, then run with new parameter values:
 * for the hot paths, where building and compiling the same query on every request cost about a
 * third of a GET's CPU time. `build` receives placeholders for the (string) parameters; they are
 * located in the compiled parameter list, so any query shape works. Outside a transaction, a
 * SQLite file store runs them on its read-only connection (sqlite-reader.ts).
 */
export function precompiled<P extends string[], R>(
  build: (db: Db, ...params: P) => Compilable<R>,
): (db: Db, ...params: P) => Promise<R[]> {
  const compiledFor = new Map<Dialect, { query: CompiledQuery<R>; slots: number[] }>();
  return async (db, ...params) => {
    const dialect = dialectOf(db);
    let entry = compiledFor.get(dialect);
    if (entry === undefined) {
      const placeholders = params.map((_, i) => `\u0000placeholder-${i}\u0000`) as P;
      const query = build(db, ...placeholders).compile();
      const slots = query.parameters.map((value) => placeholders.indexOf(value as string));
      entry = { query, slots };
      compiledFor.set(dialect, entry);
      if (dialect === 'postgres') preparedStatementNames.set(query.sql, `diga_${preparedStatementNames.size + 1}`);
    }
    const { query, slots } = entry;
    const parameters = slots.map((slot, i) => (slot >= 0 ? params[slot] : query.parameters[i]));
    const reader = dialect === 'sqlite' ? readerOf(db) : undefined;
    if (reader !== undefined) return reader.all<R>(query.sql, parameters);
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}

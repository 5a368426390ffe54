import { PostgresAdapter, type Kysely } from 'kysely';
import { formatInstant, type Micros } from '../kernel/time.js';

/**
 * What differs between the two stores, in one place. SQLite keeps instants as integer
 * microseconds; PostgreSQL as timestamptz, written as ISO text (exact to the microsecond) and
 * read back as microseconds by the pool's type parsers (postgres/type-parsers.ts).
 */
export type Dialect = 'sqlite' | 'postgres';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema, any transaction
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** An instant as the store's column takes it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function dbInstant(db: Kysely<any>, micros: Micros): number {
  // The column type says number; on PostgreSQL the driver passes the ISO text through as is.
  return (dialectOf(db) === 'postgres' ? formatInstant(micros) : micros) as number;
}

/** A row with its instant columns (`keys`) converted for the store. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withDbInstants<T extends object>(db: Kysely<any>, row: T, keys: readonly (keyof T)[]): T {
  if (dialectOf(db) === 'sqlite') return row;
  const out = { ...row };
  for (const key of keys) {
    const value = out[key];
    if (typeof value === 'number') out[key] = dbInstant(db, value) as T[keyof T];
  }
  return out;
}

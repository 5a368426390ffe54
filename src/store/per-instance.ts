import type { Kysely } from 'kysely';

/**
 * Something kept beside a store's Kysely instance (its direct readers: sqlite-reader.ts,
 * postgres-reader.ts), found again from that instance and never from a transaction of it: a
 * transaction's queries must run on the transaction's connection.
 */
export function perInstance<T>() {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
  const values = new WeakMap<Kysely<any>, T>();
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    attach: (db: Kysely<any>, value: T): void => void values.set(db, value),
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    of: (db: Kysely<any>): T | undefined => (db.isTransaction ? undefined : values.get(db)),
  };
}

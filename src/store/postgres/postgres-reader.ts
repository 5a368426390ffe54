import type pg from 'pg';
import { perInstance } from '../per-instance.js';

/**
 * The pool under a PostgreSQL store's Kysely instance, for the hot reads outside a transaction
 * (precompiled.ts): each a named prepared statement sent straight through `pg`, without Kysely's
 * per-query machinery (connection provider, executor, plugins), which cost 5–8 % of a GET's CPU
 * time on PostgreSQL and, its objects outliving requests that wait for the database, about 70 MB
 * of peak RSS (docs/BENCHMARKS.md). The same pool, type parsers and session settings.
 */
export class PostgresReader {
  constructor(private readonly pool: pg.Pool) {}

  async all<R>(name: string, text: string, values: unknown[]): Promise<R[]> {
    return (await this.pool.query({ name, text, values })).rows as R[];
  }
}

const readers = perInstance<PostgresReader>();

export const attachPostgresReader = readers.attach;

/** The reader of a PostgreSQL store's Kysely instance; none in a transaction. */
export const postgresReaderOf = readers.of;

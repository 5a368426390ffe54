import type pg from 'pg';
import type { DirectReader } from '../backend.js';
import type { PreparedStatements } from './prepared-statements.js';

/**
 * The pool under a PostgreSQL store's Kysely instance, for the hot reads outside a transaction
 * (precompiled.ts): each a named prepared statement sent straight through `pg`, without Kysely's
 * per-query machinery (connection provider, executor, plugins), whose objects cost CPU on every
 * GET and, outliving requests that wait for the database, memory (docs/BENCHMARKS.md,
 * "PostgreSQL's reads without Kysely"). The same pool, type parsers, session settings and statement
 * names as the store's Kysely instance.
 */
export class PostgresReader implements DirectReader {
  constructor(
    private readonly pool: pg.Pool,
    private readonly statements: PreparedStatements,
  ) {}

  async all<R>(text: string, values: unknown[]): Promise<R[]> {
    const name = this.statements.nameOf(text);
    return (await this.pool.query({ name, text, values })).rows as R[];
  }
}

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { withBackend } from '../backend.js';
import type { Store } from '../database.js';
import type { Database } from '../schema.js';
import { PostgresReader } from './postgres-reader.js';
import { PreparedStatements } from './prepared-statements.js';
import { typeParsers } from './type-parsers.js';

export interface PostgresOptions {
  /** Connections per process. */
  poolSize: number;
  /** Longest a statement may run before PostgreSQL cancels it. */
  statementTimeoutMs: number;
  /** Longest a request waits for a free connection (or a new one) before it fails. */
  connectTimeoutMs: number;
  /** Told about errors on idle connections, which must never crash the process. */
  onPoolError: (error: Error) => void;
}

export function openPostgresStore(url: string, options: Partial<PostgresOptions> = {}): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
    // Every session in UTC, so timestamptz text always ends in +00.
    options: `-c TimeZone=UTC -c statement_timeout=${options.statementTimeoutMs ?? 5000}`,
    types: typeParsers,
  });
  const onError = options.onPoolError ?? (() => {});
  // pg emits 'error' on a client whose connection drops. The pool listens only while a client is
  // idle; a client that is checked out (mid-transaction, say) would take the process down with
  // an unhandled 'error' event. With this listener the error reaches the query in flight (→ 503
  // or a retry), and the pool discards the broken client when it is released.
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const statements = new PreparedStatements();
  const dialect = new PostgresDialect({ pool: statements.namingPool(pool) });
  const reader = new PostgresReader(pool, statements);
  const db = new Kysely<Database>({ dialect: withBackend(dialect, { reader, statements }) });
  const { host, pathname } = new URL(url);
  return {
    db,
    dialect: 'postgres',
    description: `PostgreSQL ${host}${pathname}`,
    close: () => db.destroy(),
  };
}

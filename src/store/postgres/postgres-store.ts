import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { Store } from '../database.js';
import { parsePostgresInstant } from '../dialect.js';
import { attachPostgresReader, PostgresReader } from './postgres-reader.js';
import { preparedStatementNames } from '../precompiled.js';
import type { Database } from '../schema.js';

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

const TIMESTAMPTZ = 1184;
const INT8 = 20;
const JSON_OID = 114;
const JSONB = 3802;

/** Instants as microseconds, counts as numbers, JSON as its text: what the repositories expect. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ) return parsePostgresInstant;
    if (oid === INT8) return (text: string) => Number(text);
    if (oid === JSON_OID || oid === JSONB) return (text: string) => text;
    return pg.types.getTypeParser(oid, format);
  },
};

export function openPostgresStore(url: string, options: Partial<PostgresOptions> = {}): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    idleTimeoutMillis: 30_000,
    // Every session in UTC, so timestamptz text always ends in +00.
    options: `-c TimeZone=UTC -c statement_timeout=${options.statementTimeoutMs ?? 5000}`,
    types,
  });
  const onError = options.onPoolError ?? (() => {});
  // pg emits 'error' on a client whose connection drops. The pool listens only while a client is
  // idle; a client that is checked out (mid-transaction, say) would take the process down with
  // an unhandled 'error' event. With this listener the error reaches the query in flight (→ 503
  // or a retry), and the pool discards the broken client when it is released.
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }) });
  attachPostgresReader(db, new PostgresReader(pool));
  const { host, pathname } = new URL(url);
  return {
    db,
    dialect: 'postgres',
    description: `PostgreSQL ${host}${pathname}`,
    close: () => db.destroy(),
  };
}

/**
 * The pool as Kysely sees it, with one change: the hot queries (precompiled.ts) run as named
 * prepared statements. Kysely sends every query unnamed, so PostgreSQL parses and plans it anew
 * each time; profiling the GET on PostgreSQL put that round of Parse/Describe at the top. A
 * client prepares a name on its first use and keeps it for the connection's life.
 */
function withPreparedStatements(pool: pg.Pool): PostgresPool {
  const prepared = new WeakSet<pg.PoolClient>();
  return {
    connect: async () => {
      const client = await pool.connect();
      if (!prepared.has(client)) {
        prepared.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        // Any other call (a query config with a callback, as pool.query makes) passes unchanged.
        (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
          const name = typeof text === 'string' ? preparedStatementNames.get(text) : undefined;
          return name === undefined ? query(text, ...rest) : query({ name, text, values: rest[0] });
        };
      }
      return client as unknown as PostgresPoolClient;
    },
    end: () => pool.end(),
  };
}

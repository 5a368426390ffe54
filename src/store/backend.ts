import type { Kysely, Dialect as KyselyDialect } from 'kysely';

/**
 * What a backend (sqlite/, postgres/) keeps beside its Kysely instance for the precompiled
 * queries (precompiled.ts), which the shared layer reaches through this interface without
 * knowing the backend. Each store instance has its own: a process may hold several stores (the
 * tests do), and what a backend keeps (a read connection, the names its connections know
 * statements by) means something only to that store.
 */
export interface Backend {
  /** Runs the precompiled reads outside a transaction, without Kysely's per-query machinery. */
  readonly reader?: DirectReader;
  /** Names the precompiled queries, where the store's connections keep them prepared. */
  readonly statements?: StatementNames;
}

export interface DirectReader {
  /** The rows of a read, on the backend's own connections rather than through Kysely. */
  all<R>(sql: string, parameters: unknown[]): R[] | Promise<R[]>;
  /**
   * The rows at once, without a promise, in this event-loop turn's read snapshot; absent where
   * the backend cannot read synchronously.
   */
  readInTurn?<R>(sql: string, parameters: unknown[]): R[];
}

export interface StatementNames {
  /** Makes sure the store's connections run `sql` as a named prepared statement. */
  prepare(sql: string): void;
}

const BACKEND = Symbol('backend');

/** A Kysely instance that no backend opened runs every query through Kysely. */
const NONE: Backend = {};

/**
 * The backend of a store's Kysely instance or of a transaction of it. Kysely hands the same
 * adapter to an instance and to its transactions, so the adapter carries it: found without a
 * lookup on the GET's hot path, and in a transaction too (whose queries must still run on the
 * transaction's connection: only `statements` applies there).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema, any transaction
export function backendOf(db: Kysely<any>): Backend {
  return (db.getExecutor().adapter as { [BACKEND]?: Backend })[BACKEND] ?? NONE;
}

/** Kysely's dialect for a backend, whose adapter carries `backend` for backendOf. */
export function withBackend(dialect: KyselyDialect, backend: Backend): KyselyDialect {
  return {
    createDriver: () => dialect.createDriver(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createAdapter: () => Object.assign(dialect.createAdapter(), { [BACKEND]: backend }),
  };
}

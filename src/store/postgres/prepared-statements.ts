import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import type { StatementNames } from '../backend.js';

/**
 * The names under which one PostgreSQL store's connections know the precompiled queries
 * (precompiled.ts) as prepared statements, each parsed and planned once per connection instead
 * of on every request: Kysely sends every query unnamed, and profiling the GET on PostgreSQL put
 * that round of Parse/Describe at the top. A name means something only on this store's
 * connections, so each store names its own; only the precompiled queries are named, as a
 * connection keeps every statement it prepares for its whole life.
 */
export class PreparedStatements implements StatementNames {
  private readonly names = new Map<string, string>();

  prepare(sql: string): void {
    this.nameOf(sql);
  }

  /** The name of a precompiled query's SQL text, given on its first use. */
  nameOf(sql: string): string {
    let name = this.names.get(sql);
    if (name === undefined) {
      name = `diga_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return name;
  }

  /**
   * The pool as Kysely sees it, with one change: its clients send the SQL text of a prepared
   * precompiled query as that named statement. A client prepares a name on its first use and
   * keeps it for the connection's life.
   */
  namingPool(pool: pg.Pool): PostgresPool {
    const named = new WeakSet<pg.PoolClient>();
    return {
      connect: async () => {
        const client = await pool.connect();
        if (!named.has(client)) {
          named.add(client);
          const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
          // Any other call (a query config with a callback, as pool.query makes) passes unchanged.
          (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
            const name = typeof text === 'string' ? this.names.get(text) : undefined;
            return name === undefined ? query(text, ...rest) : query({ name, text, values: rest[0] });
          };
        }
        return client as unknown as PostgresPoolClient;
      },
      end: () => pool.end(),
    };
  }
}

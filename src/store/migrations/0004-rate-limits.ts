import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Rate-limit buckets shared by every process of a PostgreSQL deployment (issue 6). UNLOGGED:
 * they are rewritten constantly, and after a crash starting from full buckets is harmless.
 * The embedded store keeps its buckets in memory and needs no table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`
    CREATE UNLOGGED TABLE rate_limit_buckets (
      bucket text PRIMARY KEY,
      tokens double precision NOT NULL,
      refreshed_at_ms double precision NOT NULL,
      granted integer NOT NULL
    )`.execute(db);
}

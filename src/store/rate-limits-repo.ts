import { sql } from 'kysely';
import type { Db } from './database.js';

export interface Grant {
  /** Tokens taken, 0 to `want`. */
  granted: number;
  /** Tokens left in the bucket afterwards (fractional). */
  tokens: number;
}

/**
 * Takes up to `want` whole tokens from a shared bucket in one statement, refilling it first by
 * the time since its last use. Time is the database's clock, so processes on hosts whose clocks
 * disagree still share one notion of "since". PostgreSQL only.
 */
export async function takeTokens(
  db: Db,
  bucket: string,
  want: number,
  burst: number,
  perSecond: number,
): Promise<Grant> {
  const now = sql`(extract(epoch from clock_timestamp()) * 1000)`;
  const refilled = sql`LEAST(${burst}::float8, b.tokens + GREATEST(0, ${now} - b.refreshed_at_ms) * ${perSecond}::float8 / 1000)`;
  const granted = sql`LEAST(${want}::int, FLOOR(${refilled})::int)`;
  const { rows } = await sql<Grant>`
    INSERT INTO rate_limit_buckets AS b (bucket, tokens, refreshed_at_ms, granted)
    VALUES (${bucket}, ${burst}::float8 - LEAST(${want}::int, ${burst}::int), ${now}, LEAST(${want}::int, ${burst}::int))
    ON CONFLICT (bucket) DO UPDATE SET
      granted = ${granted},
      tokens = ${refilled} - ${granted},
      refreshed_at_ms = GREATEST(b.refreshed_at_ms, ${now})
    RETURNING granted, tokens`.execute(db);
  const row = rows[0];
  if (row === undefined) throw new Error('rate_limit_buckets upsert returned no row');
  return { granted: Number(row.granted), tokens: Number(row.tokens) };
}

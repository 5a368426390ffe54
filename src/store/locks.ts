import { sql } from 'kysely';
import type { Db } from './database.js';
import { dialectOf } from './dialect.js';

/**
 * Serializes writers of the same calls for the rest of the transaction. On PostgreSQL, N
 * processes may ingest events of one call at once; each re-folds the call from all its events,
 * so it must see every event committed before it: a transaction-scoped advisory lock per call,
 * taken in a fixed order so two batches cannot wait on each other (a deadlock that slips through
 * anyway is detected by PostgreSQL and retried). SQLite has one writer at a time already.
 */
export async function lockCalls(trx: Db, callIds: string[]): Promise<void> {
  if (dialectOf(trx) !== 'postgres' || callIds.length === 0) return;
  const sorted = [...callIds].sort();
  await sql`
    SELECT pg_advisory_xact_lock(k)
    FROM (SELECT hashtextextended(id, 0) AS k FROM unnest(${sorted}::text[]) AS id ORDER BY id) AS ordered
  `.execute(trx);
}

/** Serializes, across processes, everything that takes the same named lock in a transaction. */
export async function lockNamed(trx: Db, name: string): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${name}, 0))`.execute(trx);
}

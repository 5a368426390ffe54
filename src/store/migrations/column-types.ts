import type { Kysely } from 'kysely';

/**
 * Column types that differ by dialect. One set of migrations serves every store; the SQLite
 * store keeps ids as text, instants as integer microseconds and JSON as text.
 */
export interface ColumnTypes {
  id: 'text';
  instant: 'bigint';
  json: 'text';
}

export function columnTypes(_db: Kysely<unknown>): ColumnTypes {
  return { id: 'text', instant: 'bigint', json: 'text' };
}

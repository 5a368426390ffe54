import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * Column types that differ by dialect; one set of migrations serves both stores. SQLite keeps
 * ids as text, instants as integer microseconds and JSON as text. PostgreSQL uses its native
 * uuid, timestamptz (microsecond precision, like the domain) and json: json rather than jsonb
 * because it keeps a document as written, so dynamic variables come back in the order given.
 */
export interface ColumnTypes {
  id: 'text' | 'uuid';
  instant: 'bigint' | 'timestamptz';
  json: 'text' | 'json';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function columnTypes(db: Kysely<any>): ColumnTypes {
  return dialectOf(db) === 'postgres'
    ? { id: 'uuid', instant: 'timestamptz', json: 'json' }
    : { id: 'text', instant: 'bigint', json: 'text' };
}

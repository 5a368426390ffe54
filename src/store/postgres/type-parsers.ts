import pg from 'pg';
import { parseAnyInstant, type Micros } from '../../kernel/time.js';

const TIMESTAMPTZ = 1184;
const INT8 = 20;
const JSON_OID = 114;
const JSONB = 3802;

/** Instants as microseconds, counts as numbers, JSON as its text: what the repositories expect. */
export const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ) return parsePostgresInstant;
    if (oid === INT8) return (text: string) => Number(text);
    if (oid === JSON_OID || oid === JSONB) return (text: string) => text;
    return pg.types.getTypeParser(oid, format);
  },
};

/**
 * Parses PostgreSQL's timestamptz text output (`2026-11-20 10:00:04.5+00`) into microseconds,
 * whatever instant a row holds: a read must not fail on a value written before the accepted
 * range was enforced.
 */
function parsePostgresInstant(text: string): Micros {
  const micros = parseAnyInstant(text);
  if (micros === undefined) throw new Error(`unexpected timestamptz value: ${text}`);
  return micros;
}

import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';
import { columnTypes } from './column-types.js';

/**
 * Stored views move out of `calls` into a narrow table of their own, one row per call, keyed
 * like GET /v1/call/{id} reads it. In `calls` each view sat in a wide row among the events' and
 * messages' pages of the store; at 1,000,000 calls GET's reads spread over the whole file and
 * many missed the operating system's page cache. Here they are packed together (on SQLite in a
 * WITHOUT ROWID table: the row lives in the primary key's B-tree, one lookup). A prototype read
 * this table +14–18 % req/s at 1,000,000 calls (docs/BENCHMARKS.md, sixth session).
 *
 * Every call gets its row, with a null view for a call stored before views existed (rendered on
 * read, as before), so a missing row means a missing call. SQLite's DROP COLUMN rewrites
 * `calls`; the space it frees is reused, not returned to the disk (VACUUM does that).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  let table = db.schema
    .createTable('call_views')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('view', 'text');
  if (dialectOf(db) === 'sqlite') table = table.modifyEnd(sql`WITHOUT ROWID`);
  await table.execute();
  await sql`INSERT INTO call_views (id, project_id, view) SELECT id, project_id, view FROM calls`.execute(db);
  await db.schema.alterTable('calls').dropColumn('view').execute();
}

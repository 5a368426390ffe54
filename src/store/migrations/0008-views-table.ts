import { sql, type Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Stored views move out of `calls` into a narrow table of their own, one row per call, read by
 * id. In `calls` each view sat in a wide row among the events' and messages' pages of the store;
 * at 1,000,000 calls GET's reads spread over much of the file. Here they are packed together: on
 * SQLite an ordinary (rowid) table with its id index, not WITHOUT ROWID, whose interior pages
 * would hold whole rows (a fan-out of about five for ~760-byte views, eight levels at 1,000,000
 * calls against three here; docs/BENCHMARKS.md, "Views in a table of their own").
 *
 * Every call gets its row, with a null view for a call stored before views existed (rendered on
 * read, as before), so a missing row means a missing call. SQLite's DROP COLUMN rewrites
 * `calls`; the space it frees is reused, not returned to the disk (VACUUM does that).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('call_views')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('view', 'text')
    .execute();
  await sql`INSERT INTO call_views (id, project_id, view) SELECT id, project_id, view FROM calls`.execute(db);
  await db.schema.alterTable('calls').dropColumn('view').execute();
}

import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';
import { columnTypes } from './column-types.js';

/**
 * Transcript messages keyed by where they are read: (call_id, created_date, id) becomes the
 * primary key, replacing the unique index on `id` and the separate index by call. A message's id
 * is its event's id, which `call_events` already keeps unique, and nothing finds a message by id
 * alone; that second random-keyed index cost a page write per message in every ingestion
 * commit. SQLite cannot change a primary key in
 * place, so the table is rebuilt.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`ALTER TABLE call_messages DROP CONSTRAINT call_messages_pkey`.execute(db);
    await sql`ALTER TABLE call_messages ADD PRIMARY KEY (call_id, created_date, id)`.execute(db);
    await db.schema.dropIndex('call_messages_by_call').execute();
    return;
  }
  const t = columnTypes(db);
  await db.schema
    .createTable('call_messages_new')
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('call_id', t.id, (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('content', 'text')
    .addColumn('tool_call', t.json)
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('call_messages_key', ['call_id', 'created_date', 'id'])
    .execute();
  await sql`
    INSERT INTO call_messages_new (id, project_id, call_id, role, content, tool_call, created_date)
    SELECT id, project_id, call_id, role, content, tool_call, created_date FROM call_messages
  `.execute(db);
  await db.schema.dropTable('call_messages').execute();
  await db.schema.alterTable('call_messages_new').renameTo('call_messages').execute();
}

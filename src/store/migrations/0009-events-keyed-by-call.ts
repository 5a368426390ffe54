import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';
import { columnTypes } from './column-types.js';

/**
 * Events keyed by their call: (call_id, event_id) becomes the primary key, replacing the key on
 * `event_id` alone and the index by (call_id, type). A replay names its call, so it is found
 * under it; everything else reads a call's events. The key on random event ids alone cost a
 * page write per event in every ingestion commit (docs/BENCHMARKS.md, "Events keyed by their
 * call"). An event id is now unique within its call, as a
 * message's already was. SQLite cannot change a primary key in place, so the table is rebuilt.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`ALTER TABLE call_events DROP CONSTRAINT call_events_pkey`.execute(db);
    await sql`ALTER TABLE call_events ADD PRIMARY KEY (call_id, event_id)`.execute(db);
    await db.schema.dropIndex('call_events_by_call').execute();
    return;
  }
  const t = columnTypes(db);
  await db.schema
    .createTable('call_events_new')
    .addColumn('event_id', t.id, (c) => c.notNull())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('call_id', t.id, (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', t.instant, (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('received_at', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('call_events_key', ['call_id', 'event_id'])
    .execute();
  await sql`
    INSERT INTO call_events_new (event_id, project_id, call_id, type, occurred_at, payload, received_at)
    SELECT event_id, project_id, call_id, type, occurred_at, payload, received_at FROM call_events
  `.execute(db);
  await db.schema.dropTable('call_events').execute();
  await db.schema.alterTable('call_events_new').renameTo('call_events').execute();
}

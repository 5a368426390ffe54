import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/** What listing, recordings and deletion of calls need (issue 4). */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  // One index per list filter, each ending in the listing order, so a filtered page is an
  // index range scan that stops after `limit` rows, at any store size.
  for (const column of ['status', 'type', 'agent_id', 'contact_id', 'phone_register_id']) {
    await db.schema
      .createIndex(`calls_by_project_${column}`)
      .on('calls')
      .columns(['project_id', column, 'created_date', 'id'])
      .execute();
  }

  // Audio uploaded by the runtime; the bytes live in the blob store under blob_key.
  await db.schema
    .createTable('recordings')
    .addColumn('call_id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('blob_key', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .execute();

  // Calls a customer deleted: later events for them are discarded instead of recreating them.
  await db.schema
    .createTable('deleted_calls')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('deleted_at', t.instant, (c) => c.notNull())
    .execute();

  // Server-wide values every process must share, such as the key that signs recording URLs.
  await db.schema
    .createTable('settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

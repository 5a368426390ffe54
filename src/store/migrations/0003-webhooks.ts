import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/** Webhooks, their transactional outbox and the log of delivery attempts (issue 5). */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  // How many times a call's status has changed: the `sequence` of its status_changed events.
  await db.schema
    .alterTable('calls')
    .addColumn('status_sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull().references('projects.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('subscribed_events', 'text', (c) => c.notNull())
    // Kept as is: deliveries are signed with it. Shown to the customer only at creation/rotation.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhooks_by_project')
    .on('webhooks')
    .columns(['project_id', 'created_date', 'id'])
    .execute();

  // The outbox: written in the transaction that changes a call's status, so a committed change
  // always has its events and a rolled-back one never does.
  await db.schema
    .createTable('webhook_events')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('webhook_id', t.id, (c) => c.notNull())
    .addColumn('project_id', t.id, (c) => c.notNull())
    .addColumn('call_id', t.id, (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', t.instant, (c) => c.notNull())
    .addColumn('lease_until', t.instant)
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .addColumn('delivered_at', t.instant)
    .execute();
  await db.schema
    .createIndex('webhook_events_due')
    .on('webhook_events')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_events_by_call')
    .on('webhook_events')
    .columns(['webhook_id', 'call_id', 'sequence'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('webhook_id', t.id, (c) => c.notNull())
    .addColumn('project_id', t.id, (c) => c.notNull())
    .addColumn('event_id', t.id, (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_by_webhook')
    .on('webhook_deliveries')
    .columns(['webhook_id', 'created_date', 'id'])
    .execute();
}

import type { Kysely } from 'kysely';
import { columnTypes } from './column-types.js';

/**
 * Webhook fairness between projects. Ingestion records each call's status change once, in
 * `webhook_status_changes`, however many webhooks its project has; the delivery workers expand
 * those changes into per-webhook outbox rows afterwards, in bounded rounds. A webhook remembers
 * how many deliveries in a row have failed and when it may be tried again, so a dead receiver
 * backs off as a whole rather than event by event.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);

  // One row per call per ingestion that changed its status: `data` holds the CallResponse of
  // each status reached, in order, the first being `sequence`. `fanned_out_to` is the last
  // webhook (by id) already given its events; the row is deleted once every webhook has them.
  await db.schema
    .createTable('webhook_status_changes')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('project_id', t.id, (c) => c.notNull())
    .addColumn('call_id', t.id, (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_date', t.instant, (c) => c.notNull())
    .addColumn('fanned_out_to', t.id)
    .execute();
  await db.schema
    .createIndex('webhook_status_changes_by_project')
    .on('webhook_status_changes')
    .columns(['project_id', 'created_date'])
    .execute();
  await db.schema
    .createIndex('webhook_status_changes_by_call')
    .on('webhook_status_changes')
    .columns(['call_id', 'sequence'])
    .execute();

  await db.schema
    .alterTable('webhooks')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('webhooks').addColumn('retry_after', t.instant).execute();

  // The claim asks, webhook by webhook, for its due events.
  await db.schema
    .createIndex('webhook_events_due_by_webhook')
    .on('webhook_events')
    .columns(['webhook_id', 'status', 'next_attempt_at'])
    .execute();
}

import { sql } from 'kysely';
import type { Db } from './database.js';
import { chunks } from './chunks.js';
import { dbInstant, dialectOf, withDbInstants } from './dialect.js';
import type { WebhookDeliveriesTable, WebhookEventsTable } from './schema.js';

export type WebhookEventRow = WebhookEventsTable;
export type WebhookDeliveryRow = WebhookDeliveriesTable;

export async function insertWebhookEvents(db: Db, rows: WebhookEventRow[]): Promise<void> {
  const stored = rows.map((row) =>
    withDbInstants(db, row, ['next_attempt_at', 'lease_until', 'created_date', 'delivered_at']),
  );
  for (const batch of chunks(stored, 100)) await db.insertInto('webhook_events').values(batch).execute();
}

/**
 * Claims up to `limit` due events for delivery, leasing them until `leaseUntil`. Only the head
 * of each (webhook, call) queue is due: an event waits while an earlier one of the same call is
 * still pending, which keeps each call's events in order for each webhook. On PostgreSQL the
 * rows are locked with SKIP LOCKED, so each event is claimed by exactly one of N workers.
 */
export async function claimDueEvents(
  db: Db,
  now: number,
  leaseUntil: number,
  limit: number,
): Promise<WebhookEventRow[]> {
  return db.transaction().execute(async (trx) => {
    const at = dbInstant(trx, now);
    let query = trx
      .selectFrom('webhook_events as e')
      .selectAll('e')
      .where('e.status', '=', 'pending')
      .where('e.next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('e.lease_until', 'is', null), eb('e.lease_until', '<', at)]))
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('webhook_events as p')
              .select(sql`1`.as('one'))
              .whereRef('p.webhook_id', '=', 'e.webhook_id')
              .whereRef('p.call_id', '=', 'e.call_id')
              .where('p.status', '=', 'pending')
              .whereRef('p.sequence', '<', 'e.sequence'),
          ),
        ),
      )
      .orderBy('e.next_attempt_at')
      .limit(limit);
    if (dialectOf(trx) === 'postgres') query = query.forUpdate().skipLocked();
    const rows = await query.execute();
    if (rows.length === 0) return [];
    await trx
      .updateTable('webhook_events')
      .set({ lease_until: dbInstant(trx, leaseUntil) })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows;
  });
}

/** Records one attempt and the event's new state, in one transaction. */
export async function recordAttempt(
  db: Db,
  delivery: WebhookDeliveryRow,
  outcome: { status: 'delivered' | 'failed' | 'pending'; nextAttemptAt: number; deliveredAt: number | null },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_deliveries')
      .values(withDbInstants(trx, delivery, ['created_date']))
      .execute();
    await trx
      .updateTable('webhook_events')
      .set({
        status: outcome.status,
        attempts: delivery.attempt,
        next_attempt_at: dbInstant(trx, outcome.nextAttemptAt),
        delivered_at: outcome.deliveredAt === null ? null : dbInstant(trx, outcome.deliveredAt),
        lease_until: null,
      })
      .where('id', '=', delivery.event_id)
      .execute();
  });
}

export function deliveriesOf(db: Db, webhookId: string) {
  return db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
}

export async function findDelivery(db: Db, webhookId: string, id: string): Promise<WebhookDeliveryRow | undefined> {
  return deliveriesOf(db, webhookId).where('id', '=', id).executeTakeFirst();
}

/** Puts an event back in its queue, due now. */
export async function requeueEvent(db: Db, eventId: string, now: number): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({ status: 'pending', next_attempt_at: dbInstant(db, now), lease_until: null })
    .where('id', '=', eventId)
    .execute();
}

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

/** A webhook with an event it may be sent now. */
export interface DueWebhook {
  webhook_id: string;
  project_id: string;
}

/**
 * Webhooks that have an event due now which is the head of its call's queue and not leased, and
 * that are not backing off after failures; at most `perProject` of each project (those waiting
 * longest first) and `limit` in all, leaving out the webhooks and projects named in `exclude`.
 */
export async function dueWebhooks(
  db: Db,
  now: number,
  options: { perProject: number; limit: number; excludeWebhooks: string[]; excludeProjects: string[] },
): Promise<DueWebhook[]> {
  const at = dbInstant(db, now);
  // Materialized: the per-webhook subquery is evaluated once, not again for each use of its result.
  return db
    .with(
      (cte) => cte('h').materialized(),
      (db) => {
        let hooks = db
          .selectFrom('webhooks as w')
          .select(['w.id as webhook_id', 'w.project_id'])
          .select((eb) =>
            eb
              .selectFrom('webhook_events as e')
              .where(dueHead(at))
              .whereRef('e.webhook_id', '=', 'w.id')
              .select('e.next_attempt_at')
              .orderBy('e.next_attempt_at')
              .limit(1)
              .as('due_since'),
          )
          .where((eb) => eb.or([eb('w.retry_after', 'is', null), eb('w.retry_after', '<=', at)]));
        if (options.excludeWebhooks.length > 0) hooks = hooks.where('w.id', 'not in', options.excludeWebhooks);
        if (options.excludeProjects.length > 0) hooks = hooks.where('w.project_id', 'not in', options.excludeProjects);
        return hooks;
      },
    )
    .with('r', (db) =>
      db
        .selectFrom('h')
        .select(['h.webhook_id', 'h.project_id', 'h.due_since'])
        .select(
          sql<number>`row_number() over (partition by h.project_id order by h.due_since, h.webhook_id)`.as('rank'),
        )
        .where('h.due_since', 'is not', null),
    )
    .selectFrom('r')
    .select(['r.webhook_id', 'r.project_id'])
    .where('r.rank', '<=', options.perProject)
    .orderBy('r.due_since')
    .orderBy('r.webhook_id')
    .limit(options.limit)
    .execute();
}

/**
 * Claims, for each webhook named, up to its count of due events, leasing them until
 * `leaseUntil`. Only the head of each (webhook, call) queue is due: an event waits while an
 * earlier one of the same call is still pending, which keeps each call's events in order for
 * each webhook. On PostgreSQL the rows are locked with SKIP LOCKED, so each event is claimed by
 * exactly one of N workers.
 */
export async function claimDueEvents(
  db: Db,
  now: number,
  leaseUntil: number,
  wanted: { webhookId: string; count: number }[],
): Promise<WebhookEventRow[]> {
  if (wanted.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const at = dbInstant(trx, now);
    const claimed: WebhookEventRow[] = [];
    for (const { webhookId, count } of wanted) {
      let query = trx
        .selectFrom('webhook_events as e')
        .where(dueHead(at))
        // Its webhook may have failed since it was picked: then it waits out its backoff.
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('webhooks as w')
                .select(sql`1`.as('one'))
                .whereRef('w.id', '=', 'e.webhook_id')
                .where('w.retry_after', '>', at),
            ),
          ),
        )
        .selectAll('e')
        .where('e.webhook_id', '=', webhookId)
        .orderBy('e.next_attempt_at')
        .limit(count);
      if (dialectOf(trx) === 'postgres') query = query.forUpdate().skipLocked();
      claimed.push(...(await query.execute()));
    }
    if (claimed.length === 0) return [];
    await trx
      .updateTable('webhook_events')
      .set({ lease_until: dbInstant(trx, leaseUntil) })
      .where(
        'id',
        'in',
        claimed.map((r) => r.id),
      )
      .execute();
    return claimed;
  });
}

/** Pending events due at `at`, not leased, each the first pending one of its call for its webhook. */
function dueHead(at: number) {
  return sql<boolean>`e.status = 'pending' AND e.next_attempt_at <= ${at}
    AND (e.lease_until IS NULL OR e.lease_until < ${at})
    AND NOT EXISTS (
      SELECT 1 FROM webhook_events p
      WHERE p.webhook_id = e.webhook_id AND p.call_id = e.call_id AND p.status = 'pending' AND p.sequence < e.sequence
    )`;
}

/**
 * Records one attempt, the event's new state and its webhook's health, in one transaction: a
 * success clears the webhook's failures, a failure counts one more and holds back all its
 * events until `webhookRetryAfter`.
 */
export async function recordAttempt(
  db: Db,
  delivery: WebhookDeliveryRow,
  outcome: {
    status: 'delivered' | 'failed' | 'pending';
    nextAttemptAt: number;
    deliveredAt: number | null;
    /** null: the attempt succeeded. */
    webhookRetryAfter: number | null;
  },
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
    const failed = outcome.webhookRetryAfter !== null;
    await trx
      .updateTable('webhooks')
      .set((eb) => ({
        consecutive_failures: failed ? eb('consecutive_failures', '+', 1) : 0,
        retry_after: failed ? dbInstant(trx, outcome.webhookRetryAfter as number) : null,
      }))
      .where('id', '=', delivery.webhook_id)
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

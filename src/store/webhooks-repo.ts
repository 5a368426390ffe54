import type { Db } from './database.js';
import { withDbInstants } from './dialect.js';
import type { WebhooksTable } from './schema.js';

export type WebhookRow = WebhooksTable;

export async function insertWebhook(
  db: Db,
  row: Omit<WebhookRow, 'consecutive_failures' | 'retry_after'>,
): Promise<void> {
  await db
    .insertInto('webhooks')
    .values(withDbInstants(db, { ...row, consecutive_failures: 0, retry_after: null }, ['created_date']))
    .execute();
}

export function webhooksOf(db: Db, projectId: string) {
  return db.selectFrom('webhooks').selectAll().where('project_id', '=', projectId);
}

/** One indexed probe: does the project have any webhook at all. */
export async function projectHasWebhooks(db: Db, projectId: string): Promise<boolean> {
  const row = await db
    .selectFrom('webhooks')
    .select('id')
    .where('project_id', '=', projectId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countWebhooks(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('webhooks')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findWebhook(db: Db, projectId: string, id: string): Promise<WebhookRow | undefined> {
  return webhooksOf(db, projectId).where('id', '=', id).executeTakeFirst();
}

/** For the delivery worker: the webhook as it is now (its URL and secret may have changed). */
export async function findWebhookById(db: Db, id: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateWebhook(
  db: Db,
  id: string,
  changes: Partial<Pick<WebhookRow, 'url' | 'subscribed_events' | 'secret' | 'shows_recordings'>>,
): Promise<void> {
  await db.updateTable('webhooks').set(changes).where('id', '=', id).execute();
}

/** Deletes a webhook with its pending events and delivery log: deliveries stop at once. */
export async function deleteWebhook(db: Db, id: string): Promise<void> {
  await db.deleteFrom('webhook_events').where('webhook_id', '=', id).execute();
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

import type { Db } from './database.js';
import { withDbInstants } from './dialect.js';
import type { WebhooksTable } from './schema.js';

export type WebhookRow = WebhooksTable;

export async function insertWebhook(db: Db, row: WebhookRow): Promise<void> {
  await db
    .insertInto('webhooks')
    .values(withDbInstants(db, row, ['created_date']))
    .execute();
}

export function webhooksOf(db: Db, projectId: string) {
  return db.selectFrom('webhooks').selectAll().where('project_id', '=', projectId);
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

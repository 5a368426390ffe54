import type { Db } from '../../store/database.js';
import { deleteWebhook } from '../../store/webhooks-repo.js';
import { existingWebhook } from './existing-webhook.js';

/** Deletes a webhook; deliveries to its URL stop at once. */
export async function removeWebhook(db: Db, projectId: string, id: string): Promise<void> {
  await existingWebhook(db, projectId, id);
  await db.transaction().execute((trx) => deleteWebhook(trx, id));
}

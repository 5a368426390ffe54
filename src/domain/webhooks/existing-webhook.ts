import type { Db } from '../../store/database.js';
import { findWebhook, type WebhookRow } from '../../store/webhooks-repo.js';
import { webhookErrors } from './errors.js';

/** The project's webhook; 404 when the project has none with this id. */
export async function existingWebhook(db: Db, projectId: string, id: string): Promise<WebhookRow> {
  const row = await findWebhook(db, projectId, id);
  if (row === undefined) throw webhookErrors.notFound();
  return row;
}

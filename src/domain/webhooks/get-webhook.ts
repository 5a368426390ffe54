import type { Db } from '../../store/database.js';
import { existingWebhook } from './existing-webhook.js';
import { toWebhookView, type WebhookView } from './view.js';

export async function getWebhook(db: Db, projectId: string, id: string): Promise<WebhookView> {
  return toWebhookView(await existingWebhook(db, projectId, id));
}

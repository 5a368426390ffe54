import type { Db } from '../../store/database.js';
import { updateWebhook } from '../../store/webhooks-repo.js';
import { existingWebhook } from './existing-webhook.js';
import { newSigningSecret } from './signature.js';
import type { WebhookSecretView } from './view.js';

/** A new signing secret, in force for the very next delivery; the old one stops at once. */
export async function rotateWebhookSecret(db: Db, projectId: string, id: string): Promise<WebhookSecretView> {
  await existingWebhook(db, projectId, id);
  const secret = newSigningSecret();
  await updateWebhook(db, id, { secret });
  return { secret };
}

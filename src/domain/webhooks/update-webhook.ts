import type { WebhookEvent } from '../../contract/webhooks.js';
import type { Db } from '../../store/database.js';
import { updateWebhook } from '../../store/webhooks-repo.js';
import { existingWebhook } from './existing-webhook.js';
import { assertDeliverable, type WebhookTargets } from './targets.js';
import { toWebhookView, type WebhookView } from './view.js';

/** A new URL (which the policy must accept) and/or subscribed events; the secret stays. */
export async function updateWebhookSettings(
  db: Db,
  projectId: string,
  id: string,
  changes: { url?: string; subscribed_events?: WebhookEvent[] | null },
  targets: WebhookTargets,
): Promise<WebhookView> {
  const row = await existingWebhook(db, projectId, id);
  if (changes.url !== undefined) await assertDeliverable(changes.url, targets);
  const updated = {
    url: changes.url ?? row.url,
    subscribed_events:
      changes.subscribed_events === undefined || changes.subscribed_events === null
        ? row.subscribed_events
        : JSON.stringify([...new Set(changes.subscribed_events)]),
  };
  await updateWebhook(db, id, updated);
  return toWebhookView({ ...row, ...updated });
}

import type { WebhookEvent } from '../../contract/webhooks.js';
import type { Db } from '../../store/database.js';
import { updateWebhook } from '../../store/webhooks-repo.js';
import type { Grant } from '../api-keys/permissions.js';
import { existingWebhook } from './existing-webhook.js';
import { showsRecordingsTo } from './recordings-shown.js';
import { assertDeliverable, type WebhookTargets } from './targets.js';
import { toWebhookView, type WebhookView } from './view.js';

/**
 * A new URL (which the policy must accept) and/or subscribed events; the secret stays. A new URL
 * shows recording_url only if `actor`, the key that sets it, may see recordings: whoever picks
 * the receiver decides what it may be sent.
 */
export async function updateWebhookSettings(
  db: Db,
  projectId: string,
  id: string,
  changes: { url?: string; subscribed_events?: WebhookEvent[] | null },
  targets: WebhookTargets,
  actor: Grant,
): Promise<WebhookView> {
  const row = await existingWebhook(db, projectId, id);
  if (changes.url !== undefined) await assertDeliverable(changes.url, targets);
  const updated = {
    url: changes.url ?? row.url,
    subscribed_events:
      changes.subscribed_events === undefined || changes.subscribed_events === null
        ? row.subscribed_events
        : JSON.stringify([...new Set(changes.subscribed_events)]),
    shows_recordings:
      changes.url === undefined || changes.url === row.url ? row.shows_recordings : showsRecordingsTo(actor),
  };
  await updateWebhook(db, id, updated);
  return toWebhookView({ ...row, ...updated });
}

import type { WebhookEvent } from '../../contract/webhooks.js';
import type { Db } from '../../store/database.js';
import { insertWebhook, type WebhookRow } from '../../store/webhooks-repo.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import type { Grant } from '../api-keys/permissions.js';
import { showsRecordingsTo } from './recordings-shown.js';
import { newSigningSecret } from './signature.js';
import { assertDeliverable, type WebhookTargets } from './targets.js';
import { toWebhookView, type CreatedWebhookView } from './view.js';

/**
 * Registers a URL the policy accepts, with a new signing secret (shown in this answer only).
 * Its deliveries show recording_url only if `actor`, the key registering it, may see recordings.
 */
export async function createWebhook(
  db: Db,
  projectId: string,
  request: { url: string; subscribed_events: WebhookEvent[] },
  targets: WebhookTargets,
  actor: Grant,
): Promise<CreatedWebhookView> {
  await assertDeliverable(request.url, targets);
  const row: WebhookRow = {
    id: newId(),
    project_id: projectId,
    url: request.url,
    subscribed_events: JSON.stringify([...new Set(request.subscribed_events)]),
    secret: newSigningSecret(),
    created_date: nowMicros(),
    shows_recordings: showsRecordingsTo(actor),
  };
  await insertWebhook(db, row);
  return { ...toWebhookView(row), secret: row.secret };
}

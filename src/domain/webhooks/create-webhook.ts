import type { WebhookEvent } from '../../contract/webhooks.js';
import type { Db } from '../../store/database.js';
import { countWebhooks, insertWebhook } from '../../store/webhooks-repo.js';
import { lockNamed } from '../../store/locks.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import type { Grant } from '../api-keys/permissions.js';
import { showsRecordingsTo } from './recordings-shown.js';
import { webhookErrors } from './errors.js';
import { newSigningSecret } from './signature.js';
import { assertDeliverable, type WebhookTargets } from './targets.js';
import { toWebhookView, type CreatedWebhookView } from './view.js';

/**
 * Registers a URL the policy accepts, with a new signing secret (shown in this answer only).
 * Its deliveries show recording_url only if `actor`, the key registering it, may see recordings.
 * A project has at most `maxPerProject` webhooks: each one is a delivery per status change, so
 * the cap bounds what one project's calls make the service do. A project already over it (the
 * cap was lowered) keeps its webhooks and may change or delete them, but adds none.
 */
export async function createWebhook(
  db: Db,
  projectId: string,
  request: { url: string; subscribed_events: WebhookEvent[] },
  targets: WebhookTargets,
  actor: Grant,
  maxPerProject: number,
): Promise<CreatedWebhookView> {
  await assertDeliverable(request.url, targets);
  const row = {
    id: newId(),
    project_id: projectId,
    url: request.url,
    subscribed_events: JSON.stringify([...new Set(request.subscribed_events)]),
    secret: newSigningSecret(),
    created_date: nowMicros(),
    shows_recordings: showsRecordingsTo(actor),
  };
  await db.transaction().execute(async (trx) => {
    // Concurrent creations for one project count in turn (SQLite has one writer already).
    await lockNamed(trx, `webhooks of ${projectId}`);
    if ((await countWebhooks(trx, projectId)) >= maxPerProject) throw webhookErrors.limitExceeded(maxPerProject);
    await insertWebhook(trx, row);
  });
  return { ...toWebhookView(row), secret: row.secret };
}

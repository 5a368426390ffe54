import type { Db } from '../../store/database.js';
import { findDelivery, requeueEvent } from '../../store/webhook-outbox-repo.js';
import { nowMicros } from '../../kernel/time.js';
import { webhookErrors } from './errors.js';
import { existingWebhook } from './existing-webhook.js';

/** Sends a delivery's event again, as soon as it is the head of its call's queue. */
export async function redeliverEvent(
  db: Db,
  projectId: string,
  webhookId: string,
  deliveryId: string,
): Promise<{ event_id: string; status: 'pending' }> {
  await existingWebhook(db, projectId, webhookId);
  const delivery = await findDelivery(db, webhookId, deliveryId);
  if (delivery === undefined) throw webhookErrors.deliveryNotFound();
  await requeueEvent(db, delivery.event_id, nowMicros());
  return { event_id: delivery.event_id, status: 'pending' };
}

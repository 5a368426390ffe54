import type { Static } from '@sinclair/typebox';
import type {
  WebhookCreatedResponseSchema,
  WebhookDeliverySchema,
  WebhookEvent,
  WebhookResponseSchema,
  WebhookSecretResponseSchema,
} from '../../contract/webhooks.js';
import type { WebhookDeliveryRow } from '../../store/webhook-outbox-repo.js';
import type { WebhookRow } from '../../store/webhooks-repo.js';
import { formatInstant } from '../../kernel/time.js';

/** WebhookResponse: never the secret. */
export type WebhookView = Static<typeof WebhookResponseSchema>;

/** WebhookCreatedResponse: the view plus the signing secret, shown once. */
export type CreatedWebhookView = Static<typeof WebhookCreatedResponseSchema>;

/** WebhookSecretResponse: a new signing secret, shown once. */
export type WebhookSecretView = Static<typeof WebhookSecretResponseSchema>;

/** WebhookDelivery: one attempt at sending an event. */
export type DeliveryView = Static<typeof WebhookDeliverySchema>;

export function toWebhookView(row: Pick<WebhookRow, 'id' | 'url' | 'subscribed_events' | 'created_date'>): WebhookView {
  return {
    id: row.id,
    url: row.url,
    subscribed_events: JSON.parse(row.subscribed_events) as WebhookEvent[],
    created_date: formatInstant(row.created_date),
  };
}

export function toDeliveryView(row: WebhookDeliveryRow): DeliveryView {
  return {
    id: row.id,
    event_id: row.event_id,
    attempt: row.attempt,
    status_code: row.status_code,
    latency_ms: row.latency_ms,
    error: row.error,
    created_date: formatInstant(row.created_date),
  };
}

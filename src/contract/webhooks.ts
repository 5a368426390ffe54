import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../kernel/typebox.js';
import { paginated } from './pagination.js';

/** The events a webhook may subscribe to. */
export const WEBHOOK_EVENTS = ['status_changed'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The webhook schemas of spec/diga-openapi-subset.json, and the deliveries extension. */
export const WebhookEventSchema = StringEnum(WEBHOOK_EVENTS, { $id: 'WebhookEvent', title: 'WebhookEvent' });

const events = Type.Array(Type.Ref(WebhookEventSchema), { title: 'Subscribed Events' });

export const WebhookRequestSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048, format: 'uri', title: 'Webhook URL' }),
    subscribed_events: events,
  },
  { title: 'WebhookRequest' },
);

export const WebhookUpdateRequestSchema = Type.Object(
  {
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, format: 'uri', title: 'Webhook URL' })),
    subscribed_events: Type.Optional(Nullable(events, { title: 'Subscribed Events' })),
  },
  { title: 'WebhookUpdateRequest' },
);

const webhookFields = {
  id: Type.String({ format: 'uuid', title: 'Webhook Id' }),
  url: Type.String({ title: 'Webhook URL' }),
  subscribed_events: events,
  created_date: Type.String({ format: 'date-time', title: 'Created Date' }),
};

export const WebhookResponseSchema = Type.Object(webhookFields, { $id: 'WebhookResponse', title: 'WebhookResponse' });

export const WebhookCreatedResponseSchema = Type.Object(
  { ...webhookFields, secret: Type.String({ title: 'Signing Secret' }) },
  { $id: 'WebhookCreatedResponse', title: 'WebhookCreatedResponse' },
);

export const WebhookSecretResponseSchema = Type.Object(
  { secret: Type.String({ title: 'Signing Secret' }) },
  { $id: 'WebhookSecretResponse', title: 'WebhookSecretResponse' },
);

export const WebhookDeliverySchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'The attempt' }),
    event_id: Type.String({ format: 'uuid', description: 'The `id` of the event body sent' }),
    attempt: Type.Integer({ description: 'Which attempt at this event, from 1' }),
    status_code: Nullable(Type.Integer(), { description: "The receiver's HTTP status; null when it gave none" }),
    latency_ms: Type.Integer(),
    error: Nullable(Type.String(), { description: 'Why the attempt failed; null when it succeeded' }),
    created_date: Type.String({ format: 'date-time' }),
  },
  { $id: 'WebhookDelivery', title: 'WebhookDelivery' },
);

export const PaginatedWebhooksSchema = paginated(WebhookResponseSchema, 'WebhookResponse');
export const PaginatedDeliveriesSchema = paginated(WebhookDeliverySchema, 'WebhookDelivery');

export const WebhookIdParamsSchema = Type.Object({
  id: Type.String({ format: 'uuid', title: 'Webhook ID', description: 'The unique identifier for the webhook' }),
});

export const webhookSchemas = [
  WebhookEventSchema,
  WebhookResponseSchema,
  WebhookCreatedResponseSchema,
  WebhookSecretResponseSchema,
  WebhookDeliverySchema,
  PaginatedWebhooksSchema,
  PaginatedDeliveriesSchema,
];

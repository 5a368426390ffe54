import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { createWebhookRoute } from './create.js';
import { deleteWebhookRoute } from './delete.js';
import { listWebhookDeliveriesRoute } from './deliveries-list.js';
import { getWebhookRoute } from './get.js';
import { listWebhooksRoute } from './list.js';
import { redeliverWebhookEventRoute } from './redeliver.js';
import { rotateWebhookSecretRoute } from './rotate-secret.js';
import { updateWebhookRoute } from './update.js';

/** The project's webhooks, then the deliveries extension, in the order of /openapi.json. */
export const webhookRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(listWebhooksRoute, deps);
  await app.register(createWebhookRoute, deps);
  await app.register(getWebhookRoute, deps);
  await app.register(updateWebhookRoute, deps);
  await app.register(deleteWebhookRoute, deps);
  await app.register(rotateWebhookSecretRoute, deps);
  await app.register(listWebhookDeliveriesRoute, deps);
  await app.register(redeliverWebhookEventRoute, deps);
};

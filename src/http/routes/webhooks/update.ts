import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { updateWebhookSettings } from '../../../domain/webhooks/update-webhook.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { WebhookIdParamsSchema, WebhookUpdateRequestSchema } from '../../../contract/webhooks.js';
import { webhookCommon, webhookItemErrors, webhookResponse } from './common.js';

/** PATCH /v1/webhook/{id}: its URL and/or subscribed events. */
export const updateWebhookRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.patch(
    '/v1/webhook/:id',
    {
      onRequest: requireApiKey(deps, 'webhooks.update', 'update webhooks'),
      schema: {
        ...webhookCommon,
        summary: 'Update Webhook',
        description:
          "Update a webhook's URL and/or subscribed events. The signing secret cannot be changed here — use the rotate endpoint.",
        operationId: 'update_webhook_v1_webhook__id__patch',
        params: WebhookIdParamsSchema,
        body: WebhookUpdateRequestSchema,
        response: { 200: webhookResponse, ...webhookItemErrors },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return updateWebhookSettings(
        deps.db,
        principal.projectId,
        request.params.id,
        request.body,
        deps.webhookTargets,
        principal,
      );
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getWebhook } from '../../../domain/webhooks/get-webhook.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { WebhookIdParamsSchema } from '../../../contract/webhooks.js';
import { webhookCommon, webhookItemErrors, webhookResponse } from './common.js';

/** GET /v1/webhook/{id}. */
export const getWebhookRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/webhook/:id',
    {
      onRequest: requireApiKey(deps, 'webhooks.view', 'view webhooks'),
      schema: {
        ...webhookCommon,
        summary: 'Get Webhook',
        description: 'Retrieve a webhook by its ID. The response never includes the signing secret.',
        operationId: 'get_webhook_v1_webhook__id__get',
        params: WebhookIdParamsSchema,
        response: { 200: webhookResponse, ...webhookItemErrors },
      },
    },
    async (request) => getWebhook(deps.db, principalOf(request).projectId, request.params.id),
  );
};

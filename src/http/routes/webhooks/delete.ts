import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { removeWebhook } from '../../../domain/webhooks/remove-webhook.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { WebhookIdParamsSchema } from '../../../contract/webhooks.js';
import { webhookCommon, webhookItemErrors } from './common.js';

/** DELETE /v1/webhook/{id}. */
export const deleteWebhookRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.delete(
    '/v1/webhook/:id',
    {
      onRequest: requireApiKey(deps, 'webhooks.delete', 'delete webhooks'),
      schema: {
        ...webhookCommon,
        summary: 'Delete Webhook',
        description: 'Delete a webhook. Event deliveries to its URL stop immediately.',
        operationId: 'delete_webhook_v1_webhook__id__delete',
        params: WebhookIdParamsSchema,
        response: { 200: Type.Null({ description: 'Successful Response' }), ...webhookItemErrors },
      },
    },
    async (request, reply) => {
      await removeWebhook(deps.db, principalOf(request).projectId, request.params.id);
      return reply.send(null);
    },
  );
};

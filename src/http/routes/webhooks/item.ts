import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  getWebhook,
  removeWebhook,
  rotateWebhookSecret,
  updateWebhookSettings,
} from '../../../domain/webhooks/webhooks.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import {
  WebhookIdParamsSchema,
  WebhookResponseSchema,
  WebhookSecretResponseSchema,
  WebhookUpdateRequestSchema,
} from '../../../contract/webhooks.js';

const errorsOf = {
  401: errorResponse('Invalid Api Key'),
  403: errorResponse('Forbidden - Insufficient permissions'),
  404: errorResponse('Webhook Not Found'),
  422: validationErrorResponse,
  500: errorResponse('Internal Server Error'),
};

/** GET, PATCH, DELETE /v1/webhook/{id} and POST /v1/webhook/{id}/rotate. */
export const webhookItemRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db, webhookTargets } = deps;
  const common = { tags: ['Webhooks'], security: [{ CustomHTTPBearer: [] }], params: WebhookIdParamsSchema };

  app.get(
    '/v1/webhook/:id',
    {
      onRequest: requireApiKey(deps, 'webhooks.view', 'view webhooks'),
      schema: {
        ...common,
        summary: 'Get Webhook',
        description: 'Retrieve a webhook by its ID. The response never includes the signing secret.',
        operationId: 'get_webhook_v1_webhook__id__get',
        response: { 200: Type.Ref(WebhookResponseSchema, { description: 'Successful Response' }), ...errorsOf },
      },
    },
    async (request) => getWebhook(db, principalOf(request).projectId, request.params.id),
  );

  app.patch(
    '/v1/webhook/:id',
    {
      onRequest: requireApiKey(deps, 'webhooks.update', 'update webhooks'),
      schema: {
        ...common,
        summary: 'Update Webhook',
        description:
          "Update a webhook's URL and/or subscribed events. The signing secret cannot be changed here — use the rotate endpoint.",
        operationId: 'update_webhook_v1_webhook__id__patch',
        body: WebhookUpdateRequestSchema,
        response: { 200: Type.Ref(WebhookResponseSchema, { description: 'Successful Response' }), ...errorsOf },
      },
    },
    async (request) =>
      updateWebhookSettings(db, principalOf(request).projectId, request.params.id, request.body, webhookTargets),
  );

  app.delete(
    '/v1/webhook/:id',
    {
      onRequest: requireApiKey(deps, 'webhooks.delete', 'delete webhooks'),
      schema: {
        ...common,
        summary: 'Delete Webhook',
        description: 'Delete a webhook. Event deliveries to its URL stop immediately.',
        operationId: 'delete_webhook_v1_webhook__id__delete',
        response: { 200: Type.Null({ description: 'Successful Response' }), ...errorsOf },
      },
    },
    async (request, reply) => {
      await removeWebhook(db, principalOf(request).projectId, request.params.id);
      return reply.send(null);
    },
  );

  app.post(
    '/v1/webhook/:id/rotate',
    {
      onRequest: requireApiKey(deps, 'webhooks.update', 'update webhooks'),
      schema: {
        ...common,
        summary: 'Rotate Webhook Secret',
        description:
          'Generate a new signing secret for a webhook. The new secret is returned only in this response; the old secret stops signing immediately — there is no grace period.',
        operationId: 'rotate_webhook_secret_v1_webhook__id__rotate_post',
        response: { 200: Type.Ref(WebhookSecretResponseSchema, { description: 'Successful Response' }), ...errorsOf },
      },
    },
    async (request) => rotateWebhookSecret(db, principalOf(request).projectId, request.params.id),
  );
};

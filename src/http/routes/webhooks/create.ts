import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createWebhook } from '../../../domain/webhooks/create-webhook.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { WebhookCreatedResponseSchema, WebhookRequestSchema } from '../../../contract/webhooks.js';
import { webhookCommon } from './common.js';

/** POST /v1/webhook/: the answer is the only one that shows the signing secret. */
export const createWebhookRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    '/v1/webhook/',
    {
      onRequest: requireApiKey(deps, 'webhooks.create', 'create webhooks'),
      schema: {
        ...webhookCommon,
        summary: 'Create Webhook',
        description:
          'Register a URL to receive event deliveries for the subscribed events. Deliveries are signed with a per-webhook secret (`Diga-Signature` header). The secret is returned only in this response — store it securely. The URL must be https and must not point at loopback, private, link-local or metadata addresses.',
        operationId: 'create_webhook_v1_webhook__post',
        body: WebhookRequestSchema,
        response: {
          200: Type.Ref(WebhookCreatedResponseSchema, { description: 'Successful Response' }),
          400: errorResponse('Webhook Limit Exceeded'),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          422: validationErrorResponse,
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return createWebhook(
        deps.db,
        principal.projectId,
        request.body,
        deps.webhookTargets,
        principal,
        deps.maxWebhooksPerProject,
      );
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createWebhook, listWebhooks } from '../../../domain/webhooks/webhooks.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse, listErrorResponses } from '../../../contract/errors.js';
import { pageRequestOf, paginationQuery } from '../../../contract/pagination.js';
import {
  PaginatedWebhooksSchema,
  WebhookCreatedResponseSchema,
  WebhookRequestSchema,
} from '../../../contract/webhooks.js';

/** GET and POST /v1/webhook/. */
export const webhookCollectionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db, webhookTargets } = deps;
  app.get(
    '/v1/webhook/',
    {
      onRequest: requireApiKey(deps, 'webhooks.view', 'view webhooks'),
      schema: {
        tags: ['Webhooks'],
        summary: 'Get Webhooks',
        description:
          "Retrieve a paginated list of your company's webhooks. Responses never include the signing secret.",
        operationId: 'get_webhooks_v1_webhook__get',
        security: [{ CustomHTTPBearer: [] }],
        querystring: Type.Object({
          ...paginationQuery(20),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, title: 'Limit' }),
        }),
        response: {
          200: Type.Ref(PaginatedWebhooksSchema, { description: 'Successful Response' }),
          400: errorResponse('Not Valid Field'),
          ...listErrorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return listWebhooks(db, principalOf(request).projectId, pageRequestOf(q));
    },
  );

  app.post(
    '/v1/webhook/',
    {
      onRequest: requireApiKey(deps, 'webhooks.create', 'create webhooks'),
      schema: {
        tags: ['Webhooks'],
        summary: 'Create Webhook',
        description:
          'Register a URL to receive event deliveries for the subscribed events. Deliveries are signed with a per-webhook secret (`Diga-Signature` header). The secret is returned only in this response — store it securely. The URL must be https and must not point at loopback, private, link-local or metadata addresses.',
        operationId: 'create_webhook_v1_webhook__post',
        security: [{ CustomHTTPBearer: [] }],
        body: WebhookRequestSchema,
        response: {
          200: Type.Ref(WebhookCreatedResponseSchema, { description: 'Successful Response' }),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          422: validationErrorResponse,
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request) => createWebhook(db, principalOf(request).projectId, request.body, webhookTargets),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listWebhooks } from '../../../domain/webhooks/list-webhooks.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, listErrorResponses } from '../../../contract/errors.js';
import { pageRequestOf, paginationQuery } from '../../../contract/pagination.js';
import { PaginatedWebhooksSchema } from '../../../contract/webhooks.js';
import { webhookCommon } from './common.js';

/** GET /v1/webhook/. */
export const listWebhooksRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/webhook/',
    {
      onRequest: requireApiKey(deps, 'webhooks.view', 'view webhooks'),
      schema: {
        ...webhookCommon,
        summary: 'Get Webhooks',
        description:
          "Retrieve a paginated list of your company's webhooks. Responses never include the signing secret.",
        operationId: 'get_webhooks_v1_webhook__get',
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
    async (request) => listWebhooks(deps.db, principalOf(request).projectId, pageRequestOf(request.query)),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listDeliveries } from '../../../domain/webhooks/list-deliveries.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse } from '../../../contract/errors.js';
import { pageRequestOf, paginationQuery } from '../../../contract/pagination.js';
import { PaginatedDeliveriesSchema, WebhookIdParamsSchema } from '../../../contract/webhooks.js';
import { webhookCommon } from './common.js';

/** GET /v1/webhook/{id}/deliveries (extension, not in Diga's reference): its delivery attempts. */
export const listWebhookDeliveriesRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/webhook/:id/deliveries',
    {
      onRequest: requireApiKey(deps, 'webhooks.view', 'view webhooks'),
      schema: {
        ...webhookCommon,
        summary: 'List webhook deliveries (extension)',
        description:
          "Recent delivery attempts of a webhook, newest first: the receiver's status code, the latency and the error of each. An extension of Diga's API.",
        operationId: 'list_webhook_deliveries_v1_webhook__id__deliveries_get',
        params: WebhookIdParamsSchema,
        querystring: Type.Object(paginationQuery(50)),
        response: {
          200: Type.Ref(PaginatedDeliveriesSchema, { description: 'Successful Response' }),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          404: errorResponse('Webhook Not Found'),
          422: errorResponse('Unprocessable entity - Invalid pagination'),
        },
      },
    },
    async (request) =>
      listDeliveries(deps.db, principalOf(request).projectId, request.params.id, pageRequestOf(request.query)),
  );
};

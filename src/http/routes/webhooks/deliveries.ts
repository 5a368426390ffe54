import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listDeliveries, redeliver } from '../../../domain/webhooks/webhooks.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { pageRequestOf, paginationQuery } from '../../../contract/pagination.js';
import { PaginatedDeliveriesSchema, WebhookIdParamsSchema } from '../../../contract/webhooks.js';

/** Extension (not in Diga's reference): a webhook's delivery attempts, and sending one again. */
export const webhookDeliveryRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db } = deps;

  app.get(
    '/v1/webhook/:id/deliveries',
    {
      onRequest: requireApiKey(deps, 'webhooks.view', 'view webhooks'),
      schema: {
        tags: ['Webhooks'],
        summary: 'List webhook deliveries (extension)',
        description:
          "Recent delivery attempts of a webhook, newest first: the receiver's status code, the latency and the error of each. An extension of Diga's API.",
        operationId: 'list_webhook_deliveries_v1_webhook__id__deliveries_get',
        security: [{ CustomHTTPBearer: [] }],
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
    async (request) => {
      const q = request.query;
      return listDeliveries(db, principalOf(request).projectId, request.params.id, pageRequestOf(q));
    },
  );

  app.post(
    '/v1/webhook/:id/deliveries/:delivery_id/redeliver',
    {
      onRequest: requireApiKey(deps, 'webhooks.update', 'update webhooks'),
      schema: {
        tags: ['Webhooks'],
        summary: 'Redeliver a webhook event (extension)',
        description:
          "Queue the event of a past delivery attempt to be sent again (with the webhook's current URL and secret). An extension of Diga's API.",
        operationId: 'redeliver_webhook_event_v1_webhook__id__deliveries__delivery_id__redeliver_post',
        security: [{ CustomHTTPBearer: [] }],
        params: Type.Object({
          id: Type.String({ format: 'uuid', title: 'Webhook ID' }),
          delivery_id: Type.String({ format: 'uuid', title: 'Delivery ID' }),
        }),
        response: {
          202: Type.Object({ event_id: Type.String({ format: 'uuid' }), status: Type.Literal('pending') }),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          404: errorResponse('Webhook or delivery not found'),
          422: validationErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const queued = await redeliver(db, principalOf(request).projectId, request.params.id, request.params.delivery_id);
      return reply.code(202).send(queued);
    },
  );
};

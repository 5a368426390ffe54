import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { redeliverEvent } from '../../../domain/webhooks/redeliver-event.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { webhookCommon } from './common.js';

/** POST /v1/webhook/{id}/deliveries/{delivery_id}/redeliver (extension): queue the event again. */
export const redeliverWebhookEventRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    '/v1/webhook/:id/deliveries/:delivery_id/redeliver',
    {
      onRequest: requireApiKey(deps, 'webhooks.update', 'update webhooks'),
      schema: {
        ...webhookCommon,
        summary: 'Redeliver a webhook event (extension)',
        description:
          "Queue the event of a past delivery attempt to be sent again (with the webhook's current URL and secret). An extension of Diga's API.",
        operationId: 'redeliver_webhook_event_v1_webhook__id__deliveries__delivery_id__redeliver_post',
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
      const { id, delivery_id: deliveryId } = request.params;
      return reply.code(202).send(await redeliverEvent(deps.db, principalOf(request).projectId, id, deliveryId));
    },
  );
};

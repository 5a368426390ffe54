import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { inboundRoute } from '../../../domain/dialing/inbound-route.js';
import { requireRuntimeToken } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { InboundRouteSchema } from '../../../contract/dial-jobs.js';
import { runtimeCommon } from './common.js';

/** GET /internal/v1/phones/{phone_id}/inbound-route: who answers a call to the phone. */
export const inboundRouteRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/internal/v1/phones/:phone_id/inbound-route',
    {
      onRequest: requireRuntimeToken(deps),
      schema: {
        ...runtimeCommon,
        summary: 'Route an inbound call',
        description:
          "Who answers a call to this phone: its project and the agent version published on its inbound binding (with the version's configuration). The runtime then reports the call through POST /internal/v1/events, starting with a `call.created` of type `inbound`.",
        operationId: 'inbound_route_internal_v1_phones__phone_id__inbound_route_get',
        params: Type.Object({ phone_id: Type.String({ format: 'uuid' }) }),
        response: {
          200: InboundRouteSchema,
          401: errorResponse('Invalid or missing runtime token'),
          404: errorResponse('The phone does not exist or has no inbound agent'),
          422: validationErrorResponse,
        },
      },
    },
    async (request) => inboundRoute(deps.db, request.params.phone_id),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { canonicalUuid } from '../../../kernel/uuid.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { sendStoredCall } from '../../stored-call.js';
import { CallIdParamsSchema, CallResponseSchema } from '../../../contract/calls.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';

/** GET /v1/call/{id}: spec/get-call-by-id.md. */
export const getCallRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/call/:id',
    {
      onRequest: requireApiKey(deps, 'calls.view', 'view calls'),
      schema: {
        tags: ['Calls'],
        summary: 'Get call by ID',
        description:
          'Retrieve detailed information about a specific call including transcription summary, duration, cost, and recording URL if available.',
        operationId: 'get_call_v1_call__id__get',
        security: [{ CustomHTTPBearer: [] }],
        params: CallIdParamsSchema,
        response: {
          200: Type.Ref(CallResponseSchema, { description: 'Successful Response' }),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          404: errorResponse('Call Not Found'),
          422: validationErrorResponse,
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request, reply) => {
      // Validation admitted only forms pydantic accepts; bodies and lookups use the canonical one.
      const callId = canonicalUuid(request.params.id) as string;
      return sendStoredCall(deps, request, reply, principalOf(request).projectId, callId);
    },
  );
};

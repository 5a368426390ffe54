import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getCallView } from '../../../domain/calls/get-call.js';
import { requireApiKey, principalOf } from '../../auth.js';
import { callReaderFor } from '../../recording-urls.js';
import type { RouteDeps } from '../../route-deps.js';
import { sendJsonText } from '../../serialize.js';
import { CallIdParamsSchema, CallResponseSchema } from '../../../contract/calls.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';

/**
 * GET /v1/call/{id}: spec/get-call-by-id.md. Most of these requests are answered before Fastify
 * by the fast path (call-fast-path.ts), through the same domain verb; this route is the
 * definition it follows, and answers everything else.
 */
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
      const projectId = principalOf(request).projectId;
      const view = await getCallView(deps.db, projectId, request.params.id, callReaderFor(deps, request));
      return sendJsonText(reply, view);
    },
  );
};

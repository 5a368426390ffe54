import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listMessages } from '../../../domain/calls/list-messages.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { CallIdParamsSchema } from '../../../contract/calls.js';
import { errorResponse } from '../../../contract/errors.js';
import { PaginatedMessagesSchema } from '../../../contract/messages.js';
import { pageRequestOf, paginationQuery } from '../../../contract/pagination.js';

/** GET /v1/call/{id}/message: the call's transcript. */
export const callMessagesRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db } = deps;
  app.get(
    '/v1/call/:id/message',
    {
      // Diga's own wording for this endpoint's 403, though the permission is messages.view.
      onRequest: requireApiKey(deps, 'messages.view', 'view calls'),
      schema: {
        tags: ['Calls'],
        summary: 'Get call messages/transcription',
        description:
          'Retrieve the paginated transcription messages for a specific call, showing the conversation between the agent and the caller.',
        operationId: 'get_call_messages_v1_call__id__message_get',
        security: [{ CustomHTTPBearer: [] }],
        params: CallIdParamsSchema,
        querystring: Type.Object(paginationQuery(100)),
        response: {
          200: Type.Ref(PaginatedMessagesSchema, { description: 'Successful Response' }),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          404: errorResponse('No Messages For Call'),
          422: errorResponse('Unprocessable entity - Invalid pagination'),
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request) => {
      const q = request.query;
      return listMessages(db, principalOf(request).projectId, request.params.id, pageRequestOf(q));
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { BULK_DELETE_LIMIT, bulkDeleteCalls } from '../../../domain/calls/delete-calls.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';

const BulkDeleteCallRequestSchema = Type.Object(
  {
    call_ids: Type.Array(Type.String({ format: 'uuid' }), {
      minItems: 1,
      maxItems: BULK_DELETE_LIMIT,
      title: 'Call IDs',
      description: 'UUIDs of the calls to delete. Up to 500 per request.',
    }),
  },
  { title: 'BulkDeleteCallRequest' },
);

const BulkDeleteCallResponseSchema = Type.Object(
  {
    deleted: Type.Integer({
      title: 'Deleted',
      description: 'Number of terminal calls actually deleted from the requested set.',
    }),
  },
  { title: 'BulkDeleteCallResponse' },
);

/** POST /v1/call/bulk-delete. */
export const bulkDeleteCallsRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    '/v1/call/bulk-delete',
    {
      onRequest: requireApiKey(deps, 'calls.delete', 'delete calls'),
      schema: {
        tags: ['Calls'],
        summary: 'Bulk delete calls',
        description:
          "Delete multiple terminal calls scoped to the requesting company, with their transcripts and recordings. Active calls and other projects' calls are ignored. The calls' events are kept for audit with personal data removed; events the runtime reports later for a deleted call are discarded.",
        operationId: 'bulk_delete_calls_v1_call_bulk_delete_post',
        security: [{ CustomHTTPBearer: [] }],
        body: BulkDeleteCallRequestSchema,
        response: {
          200: BulkDeleteCallResponseSchema,
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          422: validationErrorResponse,
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request) => {
      const callIds = request.body.call_ids;
      const deleted = await bulkDeleteCalls(deps.db, deps.blobs, principalOf(request).projectId, callIds);
      return { deleted };
    },
  );
};

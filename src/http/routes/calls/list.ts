import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listCalls } from '../../../domain/calls/list-calls.js';
import { parseInstant } from '../../../kernel/time.js';
import { requireApiKey, principalOf } from '../../auth.js';
import { callReaderFor } from '../../recording-urls.js';
import type { RouteDeps } from '../../route-deps.js';
import { sendJsonText } from '../../serialize.js';
import { CallStatusSchema, CallTypeSchema, PaginatedCallsSchema } from '../../../contract/calls.js';
import { errorResponse, listErrorResponses } from '../../../contract/errors.js';
import { pageRequestOf, paginationQuery } from '../../../contract/pagination.js';

const optionalUuid = (title: string) => Type.Optional(Type.String({ format: 'uuid', title }));
const optionalDateTime = (title: string) => Type.Optional(Type.String({ format: 'date-time', title }));

const ListCallsQuery = Type.Object({
  ...paginationQuery(50),
  agent_id: optionalUuid('Agent Id'),
  status: Type.Optional(Type.Ref(CallStatusSchema, { title: 'Status' })),
  type: Type.Optional(Type.Ref(CallTypeSchema, { title: 'Type' })),
  start_created_date: optionalDateTime('Start Created Date'),
  end_created_date: optionalDateTime('End Created Date'),
  contact_id: optionalUuid('Contact Id'),
  phone_id: optionalUuid('Phone Id'),
});

/** GET /v1/call/: list calls, filtered, by cursor or by page. */
export const listCallsRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db } = deps;
  app.get(
    '/v1/call/',
    {
      onRequest: requireApiKey(deps, 'calls.view', 'view calls'),
      schema: {
        tags: ['Calls'],
        summary: 'List all calls',
        description:
          'Retrieve a paginated list of calls for the company. Supports filtering by status, date range, and other criteria. Includes recording URLs when available.',
        operationId: 'list_calls_v1_call__get',
        security: [{ CustomHTTPBearer: [] }],
        querystring: ListCallsQuery,
        response: {
          200: Type.Ref(PaginatedCallsSchema, { description: 'Successful Response' }),
          400: errorResponse('Bad request - Invalid field'),
          ...listErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const instant = (value: string | undefined) => (value === undefined ? undefined : parseInstant(value));
      const page = await listCalls(
        db,
        principalOf(request).projectId,
        {
          agentId: q.agent_id,
          status: q.status,
          type: q.type,
          contactId: q.contact_id,
          phoneId: q.phone_id,
          createdFrom: instant(q.start_created_date),
          createdTo: instant(q.end_created_date),
        },
        pageRequestOf(q),
        callReaderFor(deps, request),
      );
      return sendJsonText(reply, page);
    },
  );
};

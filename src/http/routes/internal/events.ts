import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { EventBatchSchema } from '../../../contract/events.js';
import { ingestEvents } from '../../../domain/calls/ingest.js';
import { requireRuntimeToken } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';

const IngestResultSchema = Type.Object(
  {
    accepted: Type.Integer({ description: 'Events recorded by this request' }),
    duplicates: Type.Integer({ description: 'Events that were already recorded with the same content' }),
    discarded: Type.Integer({ description: 'Events about calls a customer deleted: acknowledged, not stored' }),
    results: Type.Array(
      Type.Object({
        event_id: Type.String({ format: 'uuid' }),
        status: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('discarded')]),
      }),
      { description: "Each event's outcome, in the order sent" },
    ),
  },
  { title: 'IngestResult' },
);

/** POST /internal/v1/events: the voice runtime reports what happened on its calls. */
export const ingestEventsRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db } = deps;
  app.post(
    '/internal/v1/events',
    {
      onRequest: requireRuntimeToken(deps),
      schema: {
        tags: ['Internal: voice runtime'],
        summary: 'Report call events',
        description:
          'Records 1 to 1000 call events in one transaction, answered only after commit. A batch with any invalid event is rejected whole (422, naming each bad event by index and field). Replaying an event is a no-op reported as `duplicate`; events about a call the customer deleted are acknowledged as `discarded` and not stored; the same `event_id` with other content for the same call is a 409 (an event id is unique within its call). Events may arrive in any order: a call shows the state that in-order delivery gives, and is visible once its `call.created` has arrived.',
        operationId: 'ingest_events_internal_v1_events_post',
        security: [{ RuntimeToken: [] }],
        body: EventBatchSchema,
        response: {
          200: IngestResultSchema,
          401: errorResponse('Invalid or missing runtime token'),
          409: errorResponse('An event_id was already recorded for its call with different content'),
          413: errorResponse('Request body is too large'),
          422: validationErrorResponse,
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request) => ingestEvents(db, request.body.events),
  );
};

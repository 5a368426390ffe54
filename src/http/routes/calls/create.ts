import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getCallView } from '../../../domain/calls/get-call.js';
import { placeCall } from '../../../domain/calls/place-call.js';
import { Nullable } from '../../../kernel/typebox.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { callReaderFor } from '../../recording-urls.js';
import { sendJsonText } from '../../serialize.js';
import { CallResponseSchema } from '../../../contract/calls.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';

export const CallRequestSchema = Type.Object(
  {
    from_number: Type.String({
      title: 'From Number',
      description:
        'The phone number of the caller. You can use one of your phone numbers in E.164 format or the unique identifier of the phone number.',
    }),
    to_number: Type.String({
      title: 'To Number',
      description: 'The phone number of the called party in E.164 format.',
    }),
    dynamic_variables: Type.Optional(
      Nullable(Type.Object({}, { additionalProperties: true }), {
        title: 'Dynamic Variables',
        description: 'A dictionary of dynamic variables to be substitute the variables in the prompt',
      }),
    ),
    agent_version_id: Type.Optional(
      Nullable(Type.String({ format: 'uuid' }), {
        title: 'Agent Version ID',
        description: 'The unique identifier of the agent version to handle the call.',
      }),
    ),
  },
  { title: 'CallRequest' },
);

/** POST /v1/call/: place an outbound call; a voice runtime dials it (see the dial-jobs API). */
export const createCallRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db, dialing, dialSignal } = deps;
  app.post(
    '/v1/call/',
    {
      onRequest: requireApiKey(deps, 'calls.create', 'create calls'),
      schema: {
        tags: ['Calls'],
        summary: 'Make outbound call',
        description:
          'Initiate an outbound call using the outbound agent associated with the specified phone number. Only Spanish phone numbers are supported.\n\nExtension: send an `Idempotency-Key` header (1–255 characters) to make retries safe: for 24 hours, the same key with the same body returns the call the first request placed (with `Idempotent-Replayed: true`) instead of placing another; the same key with a different body is a 422.',
        operationId: 'make_call_v1_call__post',
        security: [{ CustomHTTPBearer: [] }],
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' })),
        }),
        body: CallRequestSchema,
        response: {
          201: Type.Ref(CallResponseSchema, { description: 'Successful Response' }),
          400: errorResponse('Bad request - Invalid phone number'),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions or phone number not verified'),
          404: errorResponse('Phone Number Not Found'),
          412: errorResponse('Precondition failed - SIP config missing'),
          422: validationErrorResponse,
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request, reply) => {
      const projectId = principalOf(request).projectId;
      const { callId, replayed } = await placeCall(db, projectId, request.body, {
        idempotencyKey: request.headers['idempotency-key'],
        dialing,
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      else dialSignal.notify();
      const view = await getCallView(db, projectId, callId, callReaderFor(deps, request));
      return sendJsonText(reply.code(201), view);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getRecording } from '../../../domain/recordings/get-recording.js';
import { requireApiKey, principalOf } from '../../auth.js';
import { recordingUrlsFor } from '../../recording-urls.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { CallIdPathSchema, RecordingResponseSchema } from '../../../contract/recordings.js';

/** GET /v1/recording/{call_id}: where to fetch a call's recording. */
export const getRecordingRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/recording/:call_id',
    {
      onRequest: requireApiKey(deps, 'recordings.view', 'view recordings'),
      schema: {
        tags: ['Recordings'],
        summary: 'Get Recording',
        description:
          'Retrieve a call recording by its id. For audio stored by this service the URL is signed and short-lived (see DIGA_RECORDING_URL_TTL_SECONDS); fetch it without an API key.',
        operationId: 'get_recording_v1_recording__call_id__get',
        security: [{ CustomHTTPBearer: [] }],
        params: CallIdPathSchema,
        response: {
          200: Type.Ref(RecordingResponseSchema, { description: 'Successful Response' }),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          404: errorResponse('Call or recording not found'),
          422: validationErrorResponse,
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request) =>
      getRecording(deps.db, principalOf(request).projectId, request.params.call_id, recordingUrlsFor(deps, request)),
  );
};

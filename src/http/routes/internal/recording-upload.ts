import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { recordingErrors } from '../../../domain/recordings/errors.js';
import { AUDIO_TYPES, storeRecording } from '../../../domain/recordings/store-recording.js';
import { requireRuntimeToken } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { CallIdParamsSchema } from '../../../contract/calls.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';

const UploadResultSchema = Type.Object(
  {
    call_id: Type.String({ format: 'uuid' }),
    content_type: Type.String(),
    size: Type.Integer({ description: 'Bytes stored' }),
  },
  { title: 'RecordingUploadResult' },
);

/** The media type without parameters, lowercased: `Audio/WAV; rate=8000` → `audio/wav`. */
const mediaTypeOf = (header: string | undefined) => (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** POST /internal/v1/calls/{id}/recording: the runtime uploads a call's audio. */
export const recordingUploadRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db, blobs, recordings } = deps;
  // The body is streamed to the blob store by the handler, never buffered: hand the stream over
  // unread (the one preParsing returned, which bounds how long it may take: body-deadline.ts).
  app.addContentTypeParser(/^audio\//i, (_request, payload, done) => done(null, payload));

  app.post(
    '/internal/v1/calls/:id/recording',
    {
      onRequest: [
        requireRuntimeToken(deps),
        async (request) => {
          const type = mediaTypeOf(request.headers['content-type']);
          if (AUDIO_TYPES[type] === undefined) throw recordingErrors.notAudio(type || '(none)');
          const declared = Number(request.headers['content-length']);
          if (declared > recordings.maxBytes) throw recordingErrors.tooLarge(recordings.maxBytes);
        },
      ],
      schema: {
        tags: ['Internal: voice runtime'],
        summary: "Upload a call's recording",
        description: `Streams the audio body (${Object.keys(AUDIO_TYPES).join(', ')}) into the recording store; a second upload replaces the first. The call must already exist. Customers then get it through a signed \`recording_url\`.`,
        operationId: 'upload_recording_internal_v1_calls__id__recording_post',
        security: [{ RuntimeToken: [] }],
        params: CallIdParamsSchema,
        response: {
          201: UploadResultSchema,
          400: errorResponse('Empty body'),
          401: errorResponse('Invalid or missing runtime token'),
          404: errorResponse('Call Not Found'),
          413: errorResponse('Recording too large'),
          415: errorResponse('Not an accepted audio type'),
          422: validationErrorResponse,
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request, reply) => {
      const callId = request.params.id;
      const row = await storeRecording(db, blobs, {
        callId,
        contentType: mediaTypeOf(request.headers['content-type']),
        body: (request.body as Readable | undefined) ?? request.raw,
        maxBytes: recordings.maxBytes,
      });
      return reply.code(201).send({ call_id: row.call_id, content_type: row.content_type, size: row.size });
    },
  );
};

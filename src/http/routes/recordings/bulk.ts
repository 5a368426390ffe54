import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import yazl from 'yazl';
import { BULK_DOWNLOAD_LIMIT, bulkLimitExceeded, recordingsForBulk } from '../../../domain/recordings/access.js';
import { AUDIO_TYPES } from '../../../domain/recordings/store-recording.js';
import { canonicalUuid } from '../../../domain/uuid.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../schemas/errors.js';
import { BulkRecordingRequestSchema } from '../../schemas/recordings.js';

/**
 * POST /v1/recording/bulk: a ZIP of the requested calls' stored recordings, streamed entry by
 * entry from the blob store (each opened only when the archive reaches it), so memory stays
 * flat whatever the sizes. Entries are stored uncompressed: audio barely compresses, and the
 * sizes are then known up front, so the response has a Content-Length.
 */
export const bulkRecordingsRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db, recordings } = deps;
  app.post(
    '/v1/recording/bulk',
    {
      onRequest: requireApiKey(deps, 'recordings.view', 'view recordings'),
      // Diga answers an oversized list with its own 400, not with a validation error.
      preValidation: async (request) => {
        const ids = (request.body as { call_ids?: unknown } | undefined)?.call_ids;
        if (Array.isArray(ids) && ids.length > BULK_DOWNLOAD_LIMIT) throw bulkLimitExceeded();
      },
      schema: {
        tags: ['Recordings'],
        summary: 'Bulk download recordings',
        description:
          'Download multiple call recordings as a ZIP file, one `<call_id>.<ext>` entry per call whose audio this service stores; calls without one (or of another project) are left out.',
        operationId: 'bulk_download_recordings_v1_recording_bulk_post',
        security: [{ CustomHTTPBearer: [] }],
        body: BulkRecordingRequestSchema,
        response: {
          200: Type.Unsafe({ description: 'Successful Response', content: { 'application/zip': { schema: {} } } }),
          400: errorResponse('Bulk Download Limit Exceeded'),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          404: errorResponse('No Recordings Found'),
          422: validationErrorResponse,
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request, reply) => {
      const callIds = request.body.call_ids.map((id) => canonicalUuid(id) as string);
      const rows = await recordingsForBulk(db, principalOf(request).projectId, callIds);
      const zip = new yazl.ZipFile();
      for (const row of rows) {
        const name = `${row.call_id}.${AUDIO_TYPES[row.content_type] ?? 'bin'}`;
        zip.addReadStreamLazy(
          name,
          { compress: false, size: row.size, mtime: new Date(row.created_date / 1000) },
          (done) => {
            recordings.blobs.open(row.blob_key).then(
              (stream) => done(null, stream),
              (error: unknown) => done(error, undefined as never),
            );
          },
        );
      }
      const totalSize = await new Promise<number>((resolve) =>
        (zip.end as (options: object, sized: (bytes: number) => void) => void)({}, resolve),
      );
      // A blob that vanished mid-archive (deleted meanwhile) cuts the response short: log it.
      zip.outputStream.on('error', (error) => request.log.warn({ err: error }, 'bulk recording download aborted'));
      reply.type('application/zip').header('content-disposition', 'attachment; filename="recordings.zip"');
      if (totalSize >= 0) reply.header('content-length', totalSize);
      return reply.send(zip.outputStream);
    },
  );
};

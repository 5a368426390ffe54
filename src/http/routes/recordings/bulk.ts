import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import yazl from 'yazl';
import { recordingErrors } from '../../../domain/recordings/errors.js';
import { recordingsForBulk } from '../../../domain/recordings/recordings-for-bulk.js';
import { AUDIO_TYPES } from '../../../domain/recordings/store-recording.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { BULK_DOWNLOAD_LIMIT, BulkRecordingRequestSchema } from '../../../contract/recordings.js';

/**
 * POST /v1/recording/bulk: a ZIP of the requested calls' stored recordings, streamed entry by
 * entry from the blob store (each opened only when the archive reaches it), so memory stays
 * flat whatever the sizes. Entries are stored uncompressed: audio barely compresses, and the
 * sizes are then known up front, so the response has a Content-Length.
 */
export const bulkRecordingsRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db, blobs } = deps;
  app.post(
    '/v1/recording/bulk',
    {
      onRequest: requireApiKey(deps, 'recordings.view', 'view recordings'),
      // Diga answers an oversized list with its own 400, not with a validation error.
      preValidation: async (request) => {
        const ids = (request.body as { call_ids?: unknown } | undefined)?.call_ids;
        if (Array.isArray(ids) && ids.length > BULK_DOWNLOAD_LIMIT) throw recordingErrors.bulkLimitExceeded();
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
      const callIds = request.body.call_ids;
      const listed = await recordingsForBulk(db, principalOf(request).projectId, callIds);
      // A file missing from the blob store (lost, or deleted a moment ago) is left out up front:
      // once the archive is streaming, the only way to report a failure is to cut it short.
      const sizes = await Promise.all(listed.map((row) => blobs.stat(row.blob_key)));
      const rows = listed.filter((row, i) => sizes[i] === row.size);
      if (rows.length < listed.length)
        request.log.warn({ missing: listed.length - rows.length }, 'recording files missing');
      if (rows.length === 0) throw recordingErrors.noneFound();
      const zip = new yazl.ZipFile();
      // A blob that vanishes mid-archive cuts the response short (the client sees a truncated
      // download, never a corrupt one that looks whole); the process carries on. Listening
      // before any entry is added: yazl starts reading the first one at once.
      zip.on('error', (error: Error) => {
        request.log.warn({ err: error }, 'bulk recording download aborted');
        reply.raw.destroy();
      });
      for (const row of rows) {
        const name = `${row.call_id}.${AUDIO_TYPES[row.content_type] ?? 'bin'}`;
        zip.addReadStreamLazy(
          name,
          { compress: false, size: row.size, mtime: new Date(row.created_date / 1000) },
          (done) => {
            blobs.open(row.blob_key).then(
              (stream) => done(null, stream),
              (error: unknown) => done(error, undefined as never),
            );
          },
        );
      }
      const totalSize = await new Promise<number>((resolve) =>
        (zip.end as (options: object, sized: (bytes: number) => void) => void)({}, resolve),
      );
      reply.type('application/zip').header('content-disposition', 'attachment; filename="recordings.zip"');
      if (totalSize >= 0) reply.header('content-length', totalSize);
      return reply.send(zip.outputStream);
    },
  );
};

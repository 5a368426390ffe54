import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { recordingErrors } from '../../../domain/recordings/errors.js';
import { recordingForLink } from '../../../domain/recordings/recording-for-link.js';
import { AUDIO_TYPES } from '../../../domain/recordings/store-recording.js';
import { byteRangeOf } from '../../byte-range.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { CallIdPathSchema } from '../../../contract/recordings.js';
import { fullyDecoded, percentDecodedOnce } from '../../../kernel/credential-shapes.js';

/**
 * GET /v1/recording/{call_id}/audio?expires&signature: the audio behind a signed recording_url
 * (an extension of Diga's API). No API key: the signature is the credential. Supports one
 * byte range per request, as audio players and resumable downloads use.
 */
export const recordingAudioRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db, blobs, recordings } = deps;
  app.get(
    '/v1/recording/:call_id/audio',
    {
      schema: {
        tags: ['Recordings'],
        summary: 'Recording audio (signed URL)',
        description:
          'Where a signed `recording_url` points. Answers 200 with the whole file, or 206 for a `Range: bytes=…` request (416 past the end); 403 `RECORDING_URL_EXPIRED` or `INVALID_SIGNATURE` for an expired or altered URL.',
        operationId: 'get_recording_audio_v1_recording__call_id__audio_get',
        params: CallIdPathSchema,
        querystring: Type.Object({
          expires: Type.Optional(Type.String({ description: 'Unix seconds after which the URL is refused' })),
          signature: Type.Optional(Type.String({ description: 'Hex HMAC-SHA256 of "<call_id>.<expires>"' })),
        }),
        response: {
          200: Type.Unsafe({ description: 'The audio', content: { 'audio/*': { schema: {} } } }),
          206: Type.Unsafe({ description: 'The requested byte range of the audio' }),
          403: errorResponse('Expired or invalid signature'),
          404: errorResponse('Recording not found'),
          416: errorResponse('Range not satisfiable'),
          422: validationErrorResponse,
        },
      },
      // Before validation: a repeated parameter would otherwise be a 422 quoting the signatures.
      preValidation: async (request) => {
        const query = signedLinkQuery(request.url);
        if (query === 'ambiguous') throw recordingErrors.invalidSignature();
        request.query = query;
      },
    },
    async (request, reply) => {
      const callId = request.params.call_id;
      const { expires, signature } = request.query;
      const row = await recordingForLink(db, recordings.links, callId, expires, signature);
      const range = byteRangeOf(request.headers.range, row.size);
      if (range === 'unsatisfiable') {
        reply.header('content-range', `bytes */${row.size}`);
        throw recordingErrors.rangeNotSatisfiable(row.size);
      }
      const secondsLeft = Math.max(0, Number(expires) - Math.floor(Date.now() / 1000));
      reply
        .type(row.content_type)
        .header('accept-ranges', 'bytes')
        .header('etag', `"${row.blob_key.replace(/[^A-Za-z0-9.-]/g, '')}"`)
        .header('cache-control', `private, max-age=${secondsLeft}`)
        .header('content-disposition', `inline; filename="${callId}.${AUDIO_TYPES[row.content_type] ?? 'bin'}"`);
      const stream = await blobs.open(row.blob_key, range);
      if (range === undefined) return reply.header('content-length', row.size).send(stream);
      return reply
        .code(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${row.size}`)
        .header('content-length', range.end - range.start + 1)
        .send(stream);
    },
  );
};

const LINK_PARAMETERS = ['expires', 'signature'] as const;
type LinkParameter = (typeof LINK_PARAMETERS)[number];

/**
 * A signed URL's `expires` and `signature`, read by their canonical names (percent-decoded once,
 * as every URL parser reads them: `%73ignature` is `signature`), or 'ambiguous' when the URL
 * names either twice, or in another spelling (another case, encoded more than once), which no
 * URL this service signs does: such a URL could be read one way here and another way by a log
 * filter or a proxy. Other parameters are ignored.
 */
export function signedLinkQuery(url: string): Partial<Record<LinkParameter, string>> | 'ambiguous' {
  const mark = url.indexOf('?');
  const found: Partial<Record<LinkParameter, string>> = {};
  if (mark === -1) return found;
  for (const pair of url.slice(mark + 1).split('&')) {
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const name = percentDecodedOnce(rawName.replaceAll('+', ' '));
    const parameter = LINK_PARAMETERS.find((known) => known === name);
    if (parameter === undefined) {
      const lookalike = fullyDecoded(name).trim().toLowerCase();
      if (LINK_PARAMETERS.some((known) => known === lookalike)) return 'ambiguous';
      continue;
    }
    if (found[parameter] !== undefined) return 'ambiguous';
    found[parameter] = equals === -1 ? '' : percentDecodedOnce(pair.slice(equals + 1).replaceAll('+', ' '));
  }
  return found;
}

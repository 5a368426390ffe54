import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';

/**
 * GET /v1/call/concurrency/stream: server-sent events with the project's live call count,
 * `data: {"active_calls": N}`, at once and then every DIGA_CONCURRENCY_INTERVAL_MS (each event
 * doubles as a keep-alive). A project's streams share one count per interval (ConcurrencyFeed).
 * A key may hold DIGA_STREAMS_PER_KEY streams open at once and its project DIGA_STREAMS_PER_PROJECT
 * (then 429 TOO_MANY_STREAMS), each for DIGA_STREAM_MAX_LIFETIME_SECONDS, after which the server
 * ends it (an EventSource reconnects by itself). The stream stops when the client goes away, and
 * the server ends every open stream when it shuts down.
 */
export const concurrencyStreamRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { streams, concurrency } = deps;
  app.get(
    '/v1/call/concurrency/stream',
    {
      onRequest: requireApiKey(deps, 'calls.view', 'view calls'),
      schema: {
        tags: ['Calls'],
        summary: "Stream the company's live concurrent-call count (SSE)",
        description:
          'Server-sent events stream emitting `data: {"active_calls": N}` every few seconds (also acting as a keepalive). N is the number of the project\'s calls that are `dialing` or `in_progress`.',
        operationId: 'stream_concurrency_v1_call_concurrency_stream_get',
        security: [{ CustomHTTPBearer: [] }],
        response: {
          200: Type.Unsafe({ description: 'Successful Response', content: { 'text/event-stream': { schema: {} } } }),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          422: validationErrorResponse,
          429: errorResponse('Too many requests, or too many open streams'),
        },
      },
    },
    async (request, reply) => {
      const { keyId, projectId } = principalOf(request);
      // HEAD (which Fastify routes here too) wants the headers only, and holds nothing open.
      const release = concurrency.slots.acquire(keyId, projectId);
      const out = reply.raw;
      reply.hijack();
      out.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        // Proxies such as nginx would otherwise hold events back in their buffers.
        'x-accel-buffering': 'no',
      });
      // Node sends a HEAD's headers on end().
      if (request.method === 'HEAD') {
        release();
        return void out.end();
      }
      out.flushHeaders();

      let open = true;
      const unsubscribe = concurrency.feed.subscribe(projectId, (activeCalls) => {
        if (!open) return;
        // The store briefly unavailable (logged once by the feed): a comment line keeps the stream.
        if (activeCalls === undefined) out.write(': count unavailable, retrying\n\n');
        else out.write(`data: ${JSON.stringify({ active_calls: activeCalls })}\n\n`);
      });
      const lifetime = setTimeout(() => end(': stream lifetime reached, reconnect\n\n'), concurrency.maxLifetimeMs);
      const end = (farewell?: string) => {
        if (!open) return;
        open = false;
        clearTimeout(lifetime);
        unsubscribe();
        release();
        streams.delete(end);
        out.end(farewell);
      };
      streams.add(end);
      out.on('close', () => end());
    },
  );
};

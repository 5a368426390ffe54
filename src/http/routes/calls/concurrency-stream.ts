import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { countActiveCalls } from '../../../domain/calls/active-calls.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';

/**
 * GET /v1/call/concurrency/stream: server-sent events with the project's live call count,
 * `data: {"active_calls": N}`, at once and then every DIGA_CONCURRENCY_INTERVAL_MS (each event
 * doubles as a keep-alive). The stream stops when the client goes away, and the server ends
 * every open stream when it shuts down.
 */
export const concurrencyStreamRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db, streams, concurrencyIntervalMs } = deps;
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
        },
      },
    },
    async (request, reply) => {
      const projectId = principalOf(request).projectId;
      const out = reply.raw;
      reply.hijack();
      out.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        // Proxies such as nginx would otherwise hold events back in their buffers.
        'x-accel-buffering': 'no',
      });
      // HEAD (which Fastify routes here too) wants the headers only; Node sends them on end().
      if (request.method === 'HEAD') return void out.end();
      out.flushHeaders();

      let open = true;
      const send = async () => {
        try {
          const activeCalls = await countActiveCalls(db, projectId);
          if (open) out.write(`data: ${JSON.stringify({ active_calls: activeCalls })}\n\n`);
        } catch (error) {
          // The store is briefly unavailable: keep the stream (a comment line) and try next tick.
          request.log.warn({ err: error }, 'concurrency count failed');
          if (open) out.write(': count unavailable, retrying\n\n');
        }
      };
      const timer = setInterval(() => void send(), concurrencyIntervalMs);
      const end = () => {
        if (!open) return;
        open = false;
        clearInterval(timer);
        streams.delete(end);
        out.end();
      };
      streams.add(end);
      out.on('close', end);
      await send();
    },
  );
};

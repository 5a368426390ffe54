import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { assertReady } from '../../domain/operations/readiness.js';
import type { RouteDeps } from '../route-deps.js';
import { errorResponse } from '../../contract/errors.js';

const Status = Type.Object({ status: Type.String() });

/** Probes for load balancers and orchestrators: unauthenticated, cheap, never cached. */
export const healthRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db }) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Liveness: the process is up',
        operationId: 'healthz',
        response: { 200: Status },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' };
    },
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Readiness: the store answers and its schema is the one this build expects',
        operationId: 'readyz',
        response: { 200: Status, 503: errorResponse('Not ready') },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      await assertReady(db);
      return { status: 'ready' };
    },
  );
};

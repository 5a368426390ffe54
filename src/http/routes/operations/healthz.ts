import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../../route-deps.js';
import { operationsCommon, probeStatus } from './common.js';

/** GET /healthz: liveness, answered without touching the store. */
export const healthzRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app) => {
  app.get(
    '/healthz',
    {
      schema: {
        ...operationsCommon,
        summary: 'Liveness: the process is up',
        operationId: 'healthz',
        response: { 200: probeStatus },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' };
    },
  );
};

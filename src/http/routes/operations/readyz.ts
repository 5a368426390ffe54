import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { assertReady } from '../../../domain/operations/readiness.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse } from '../../../contract/errors.js';
import { operationsCommon, probeStatus } from './common.js';

/** GET /readyz: readiness, 503 while the store cannot serve this build. */
export const readyzRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { db }) => {
  app.get(
    '/readyz',
    {
      schema: {
        ...operationsCommon,
        summary: 'Readiness: the store answers and its schema is the one this build expects',
        operationId: 'readyz',
        response: { 200: probeStatus, 503: errorResponse('Not ready') },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      await assertReady(db);
      return { status: 'ready' };
    },
  );
};

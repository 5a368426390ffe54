import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { bulkDeleteCallsRoute } from './bulk-delete.js';
import { concurrencyStreamRoute } from './concurrency-stream.js';
import { createCallRoute } from './create.js';
import { getCallRoute } from './get.js';
import { listCallsRoute } from './list.js';
import { callMessagesRoute } from './messages.js';

export const callRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(listCallsRoute, deps);
  await app.register(createCallRoute, deps);
  await app.register(getCallRoute, deps);
  await app.register(callMessagesRoute, deps);
  await app.register(bulkDeleteCallsRoute, deps);
  await app.register(concurrencyStreamRoute, deps);
};

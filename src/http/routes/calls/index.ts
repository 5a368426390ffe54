import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { getCallRoute } from './get.js';
import { listCallsRoute } from './list.js';

export const callRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(listCallsRoute, deps);
  await app.register(getCallRoute, deps);
};

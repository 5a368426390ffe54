import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { healthzRoute } from './healthz.js';
import { readyzRoute } from './readyz.js';

/** Probes for load balancers and orchestrators: unauthenticated, cheap, never cached. */
export const healthRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(healthzRoute, deps);
  await app.register(readyzRoute, deps);
};

import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { agentCollectionRoutes } from './collection.js';
import { agentItemRoutes } from './item.js';
import { agentVersionRoutes } from './versions.js';

export const agentRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(agentCollectionRoutes, deps);
  await app.register(agentItemRoutes, deps);
  await app.register(agentVersionRoutes, deps);
};

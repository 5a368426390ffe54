import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { apiKeyCollectionRoutes } from './collection.js';
import { apiKeyItemRoutes } from './item.js';

export const apiKeyRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(apiKeyCollectionRoutes, deps);
  await app.register(apiKeyItemRoutes, deps);
};

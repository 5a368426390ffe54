import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { webhookCollectionRoutes } from './collection.js';
import { webhookDeliveryRoutes } from './deliveries.js';
import { webhookItemRoutes } from './item.js';

export const webhookRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(webhookCollectionRoutes, deps);
  await app.register(webhookItemRoutes, deps);
  await app.register(webhookDeliveryRoutes, deps);
};

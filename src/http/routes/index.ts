import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import { agentRoutes } from './agents/index.js';
import { apiKeyRoutes } from './api-keys/index.js';
import { callRoutes } from './calls/index.js';
import { internalRoutes } from './internal/index.js';
import { healthRoutes } from './operations/index.js';
import { phoneRoutes } from './phones/index.js';
import { recordingRoutes } from './recordings/index.js';
import { webhookRoutes } from './webhooks/index.js';

/** Every resource's routes, in the order the OpenAPI document lists them. */
export const apiRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(callRoutes, deps);
  await app.register(recordingRoutes, deps);
  await app.register(apiKeyRoutes, deps);
  await app.register(webhookRoutes, deps);
  await app.register(agentRoutes, deps);
  await app.register(phoneRoutes, deps);
  await app.register(internalRoutes, deps);
  await app.register(healthRoutes, deps);
};

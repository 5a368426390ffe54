import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { createApiKeyRoute } from './create.js';
import { deleteApiKeyRoute } from './delete.js';
import { getApiKeyRoute } from './get.js';
import { listApiKeysRoute } from './list.js';
import { updateApiKeyRoute } from './update.js';

/** The project's API keys, in the order of /openapi.json: list, create, get, update, delete. */
export const apiKeyRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(listApiKeysRoute, deps);
  await app.register(createApiKeyRoute, deps);
  await app.register(getApiKeyRoute, deps);
  await app.register(updateApiKeyRoute, deps);
  await app.register(deleteApiKeyRoute, deps);
};

import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { createAgentRoute } from './create.js';
import { deleteAgentRoute } from './delete.js';
import { getAgentRoute } from './get.js';
import { listAgentsRoute } from './list.js';
import { publishAgentVersionRoute } from './publish.js';
import { updateAgentRoute } from './update.js';
import { deleteAgentVersionRoute } from './versions-delete.js';
import { launchAgentVersionRoute } from './versions-launch.js';
import { listAgentVersionsRoute } from './versions-list.js';

/** The agents and their versions, in the order of Diga's reference (and of /openapi.json). */
export const agentRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(createAgentRoute, deps);
  await app.register(listAgentsRoute, deps);
  await app.register(getAgentRoute, deps);
  await app.register(updateAgentRoute, deps);
  await app.register(deleteAgentRoute, deps);
  await app.register(publishAgentVersionRoute, deps);
  await app.register(launchAgentVersionRoute, deps);
  await app.register(listAgentVersionsRoute, deps);
  await app.register(deleteAgentVersionRoute, deps);
};

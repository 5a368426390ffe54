import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { getPhoneRoute } from './get.js';
import { importPhoneRoute } from './import.js';
import { listPhonesRoute } from './list.js';
import { releasePhoneRoute } from './release.js';
import { updatePhoneRoute } from './update.js';

/** The phones a call needs: import, list, get, update (name and agent bindings), release. */
export const phoneRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(importPhoneRoute, deps);
  await app.register(listPhonesRoute, deps);
  await app.register(getPhoneRoute, deps);
  await app.register(updatePhoneRoute, deps);
  await app.register(releasePhoneRoute, deps);
};

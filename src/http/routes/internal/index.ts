import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { dialJobRoutes } from './dial-jobs.js';
import { ingestEventsRoute } from './events.js';
import { recordingUploadRoute } from './recording-upload.js';

export const internalRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(ingestEventsRoute, deps);
  await app.register(recordingUploadRoute, deps);
  await app.register(dialJobRoutes, deps);
};

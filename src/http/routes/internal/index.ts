import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { claimDialJobsRoute } from './dial-jobs-claim.js';
import { confirmDialJobRoute } from './dial-jobs-confirm.js';
import { ingestEventsRoute } from './events.js';
import { inboundRouteRoute } from './inbound-route.js';
import { recordingUploadRoute } from './recording-upload.js';

/** The voice runtime's API: report events, upload recordings, take dial jobs, route inbound calls. */
export const internalRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(ingestEventsRoute, deps);
  await app.register(recordingUploadRoute, deps);
  await app.register(claimDialJobsRoute, deps);
  await app.register(confirmDialJobRoute, deps);
  await app.register(inboundRouteRoute, deps);
};

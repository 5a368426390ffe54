import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../route-deps.js';
import { recordingAudioRoute } from './audio.js';
import { bulkRecordingsRoute } from './bulk.js';
import { getRecordingRoute } from './get.js';

export const recordingRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  await app.register(getRecordingRoute, deps);
  await app.register(recordingAudioRoute, deps);
  await app.register(bulkRecordingsRoute, deps);
};

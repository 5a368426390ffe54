import type { FastifyReply, FastifyRequest } from 'fastify';
import { servedStoredView } from '../domain/calls/call-views.js';
import { getCall } from '../domain/calls/get-call.js';
import { errors } from '../kernel/errors.js';
import { findCallView } from '../store/calls-repo.js';
import { recordingUrlsFor } from './recording-urls.js';
import type { RouteDeps } from './route-deps.js';
import { sendJsonText } from './serialize.js';

/**
 * Sends one call of the project as its CallResponse: the stored view, as stored, with a signed
 * URL spliced in when this service stores the recording; a call stored before views existed is
 * rendered. CALL_NOT_FOUND when missing or another project's.
 */
export async function sendStoredCall(
  deps: RouteDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  projectId: string,
  callId: string,
): Promise<FastifyReply> {
  const stored = await findCallView(deps.db, projectId, callId);
  if (stored === undefined) throw errors.callNotFound(callId);
  const recordingUrlOf = recordingUrlsFor(deps, request);
  if (stored.view === null) {
    return sendJsonText(reply, JSON.stringify(await getCall(deps.db, projectId, callId, recordingUrlOf)));
  }
  return sendJsonText(reply, servedStoredView(stored.view, stored, recordingUrlOf));
}

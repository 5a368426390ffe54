import type { FastifyReply, FastifyRequest } from 'fastify';
import { withSignedRecording } from '../domain/calls/call-views.js';
import { getCall } from '../domain/calls/get-call.js';
import { errors } from '../errors.js';
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
  const { view, recording_url: runtimeUrl, stored_recording: storedRecording } = stored;
  if (view === null) {
    return sendJsonText(
      reply,
      JSON.stringify(await getCall(deps.db, projectId, callId, recordingUrlsFor(deps, request))),
    );
  }
  if (storedRecording === null) return sendJsonText(reply, view);
  return sendJsonText(reply, withSignedRecording(view, runtimeUrl, recordingUrlsFor(deps, request)(callId)));
}

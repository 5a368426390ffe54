import type { Db } from '../../store/database.js';
import { findCall } from '../../store/calls-repo.js';
import type { RecordingUrlOf } from '../calls/get-call.js';
import { recordingErrors } from './errors.js';
import type { RecordingView } from './view.js';
import { callErrors } from '../calls/errors.js';

/**
 * GET /v1/recording/{call_id}: a signed URL when this service stores the audio, else the URL
 * the runtime reported. CALL_NOT_FOUND for a call that is not the project's.
 */
export async function getRecording(
  db: Db,
  projectId: string,
  callId: string,
  urls: RecordingUrlOf,
): Promise<RecordingView> {
  const call = await findCall(db, projectId, callId);
  if (call === undefined) throw callErrors.notFound(callId);
  if (call.stored_recording !== null) return { recording_url: urls(callId) };
  if (call.recording_url !== null) return { recording_url: call.recording_url };
  throw recordingErrors.notFound(callId);
}

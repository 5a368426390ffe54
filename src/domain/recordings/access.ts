import { ApiError, errors } from '../../kernel/errors.js';
import type { Db } from '../../store/database.js';
import { findCall } from '../../store/calls-repo.js';
import { findProjectRecordings, findRecording, type RecordingRow } from '../../store/recordings-repo.js';
import type { RecordingUrlOf } from '../calls/get-call.js';
import type { LinkCheck, RecordingLinks } from './links.js';

export const BULK_DOWNLOAD_LIMIT = 50;

const recordingNotFound = (callId: string) =>
  new ApiError(404, 'RECORDING_NOT_FOUND', `No recording found for call ${callId}`);

/**
 * GET /v1/recording/{call_id}: a signed URL when this service stores the audio, else the URL
 * the runtime reported. CALL_NOT_FOUND for a call that is not the project's.
 */
export async function recordingUrl(db: Db, projectId: string, callId: string, urls: RecordingUrlOf): Promise<string> {
  const call = await findCall(db, projectId, callId);
  if (call === undefined) throw errors.callNotFound(callId);
  if (call.stored_recording !== null) return urls(callId);
  if (call.recording_url !== null) return call.recording_url;
  throw recordingNotFound(callId);
}

/** The stored recording a signed URL names, once the signature and expiry are checked. */
export async function recordingForLink(
  db: Db,
  links: RecordingLinks,
  callId: string,
  expires: string | undefined,
  signature: string | undefined,
): Promise<RecordingRow> {
  const check: LinkCheck = links.check(callId, expires, signature);
  if (check === 'expired') {
    throw new ApiError(403, 'RECORDING_URL_EXPIRED', 'This recording URL has expired; ask the API for a new one');
  }
  if (check === 'invalid') throw new ApiError(403, 'INVALID_SIGNATURE', 'This recording URL is not valid');
  const row = await findRecording(db, callId);
  if (row === undefined) throw recordingNotFound(callId);
  return row;
}

/**
 * The project's stored recordings among `callIds` (repeats ignored, in the order asked), for a
 * bulk download; NO_RECORDINGS_FOUND when none of them has one.
 */
export async function recordingsForBulk(db: Db, projectId: string, callIds: string[]): Promise<RecordingRow[]> {
  if (callIds.length > BULK_DOWNLOAD_LIMIT) throw bulkLimitExceeded();
  const unique = [...new Set(callIds)];
  const found = new Map((await findProjectRecordings(db, projectId, unique)).map((r) => [r.call_id, r]));
  const rows = unique.flatMap((id) => found.get(id) ?? []);
  if (rows.length === 0) throw noRecordingsFound();
  return rows;
}

export const noRecordingsFound = () =>
  new ApiError(404, 'NO_RECORDINGS_FOUND', 'None of the requested calls have recordings available');

export const bulkLimitExceeded = () =>
  new ApiError(400, 'BULK_DOWNLOAD_LIMIT_EXCEEDED', `Bulk download is limited to ${BULK_DOWNLOAD_LIMIT} recordings`);

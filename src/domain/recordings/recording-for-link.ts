import type { Db } from '../../store/database.js';
import { findRecording, type RecordingRow } from '../../store/recordings-repo.js';
import { recordingErrors } from './errors.js';
import type { LinkCheck, RecordingLinks } from './links.js';

/** The stored recording a signed URL names, once the signature and expiry are checked. */
export async function recordingForLink(
  db: Db,
  links: RecordingLinks,
  callId: string,
  expires: string | undefined,
  signature: string | undefined,
): Promise<RecordingRow> {
  const check: LinkCheck = links.check(callId, expires, signature);
  if (check === 'expired') throw recordingErrors.urlExpired();
  if (check === 'invalid') throw recordingErrors.invalidSignature();
  const row = await findRecording(db, callId);
  if (row === undefined) throw recordingErrors.notFound(callId);
  return row;
}

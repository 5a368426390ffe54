import type { Db } from '../../store/database.js';
import { findCallView, findCallViewNow } from '../../store/calls-repo.js';
import { servedView } from './call-views.js';
import { callErrors } from './errors.js';

/** A signed URL for a recording this service stores. */
export type RecordingUrlOf = (callId: string) => string;

/**
 * GET /v1/call/{id}: one call of the project as served, its stored view with a signed URL from
 * `recordingUrlOf` when this service stores its recording. CALL_NOT_FOUND when missing or
 * another project's.
 */
export async function getCallView(
  db: Db,
  projectId: string,
  callId: string,
  recordingUrlOf: RecordingUrlOf,
): Promise<string> {
  const stored = (await findCallView(db, projectId, callId))[0];
  if (stored === undefined) throw callErrors.notFound(callId);
  return servedView(stored, recordingUrlOf);
}

/**
 * getCallView without waiting, for a caller that would rather hand the request on than wait for
 * the store (the fast path): the same JSON, null where getCallView rejects with CALL_NOT_FOUND,
 * or undefined when the store answers only later (PostgreSQL): then getCallView answers.
 */
export function getCallViewNow(
  db: Db,
  projectId: string,
  callId: string,
  recordingUrlOf: RecordingUrlOf,
): string | null | undefined {
  const rows = findCallViewNow(db, projectId, callId);
  if (rows === undefined) return undefined;
  const stored = rows[0];
  return stored === undefined ? null : servedView(stored, recordingUrlOf);
}

import type { Db } from '../../store/database.js';
import { findCallView, findCallViewNow } from '../../store/calls-repo.js';
import { servedView, type CallReader } from './call-views.js';
import { callErrors } from './errors.js';

export type { CallReader, RecordingUrlOf } from './call-views.js';

/**
 * GET /v1/call/{id}: one call of the project as `reader` is served it (servedView: its
 * recording_url only with recordings.view, signed when this service stores the recording).
 * CALL_NOT_FOUND when missing or another project's.
 */
export async function getCallView(db: Db, projectId: string, callId: string, reader: CallReader): Promise<string> {
  const stored = (await findCallView(db, projectId, callId))[0];
  if (stored === undefined) throw callErrors.notFound(callId);
  return servedView(stored, reader);
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
  reader: CallReader,
): string | null | undefined {
  const rows = findCallViewNow(db, projectId, callId);
  if (rows === undefined) return undefined;
  const stored = rows[0];
  return stored === undefined ? null : servedView(stored, reader);
}

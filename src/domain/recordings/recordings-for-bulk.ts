import { BULK_DOWNLOAD_LIMIT } from '../../contract/recordings.js';
import type { Db } from '../../store/database.js';
import { findProjectRecordings, type RecordingRow } from '../../store/recordings-repo.js';
import { recordingErrors } from './errors.js';

/**
 * The project's stored recordings among `callIds` (repeats ignored, in the order asked), for a
 * bulk download; NO_RECORDINGS_FOUND when none of them has one.
 */
export async function recordingsForBulk(db: Db, projectId: string, callIds: string[]): Promise<RecordingRow[]> {
  if (callIds.length > BULK_DOWNLOAD_LIMIT) throw recordingErrors.bulkLimitExceeded();
  const unique = [...new Set(callIds)];
  const found = new Map((await findProjectRecordings(db, projectId, unique)).map((r) => [r.call_id, r]));
  const rows = unique.flatMap((id) => found.get(id) ?? []);
  if (rows.length === 0) throw recordingErrors.noneFound();
  return rows;
}

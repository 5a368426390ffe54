import type { BlobStore } from '../../store/blobs/blob-store.js';
import type { Db } from '../../store/database.js';
import { eventsOfCalls, replacePayload } from '../../store/call-events-repo.js';
import { deleteCalls, findCallsInStatus } from '../../store/calls-repo.js';
import { insertDeletedCalls } from '../../store/deleted-calls-repo.js';
import { withRetries } from '../../store/failures.js';
import { lockCalls } from '../../store/locks.js';
import { deleteMessagesOfCalls } from '../../store/messages-repo.js';
import { deleteRecordings } from '../../store/recordings-repo.js';
import { nowMicros } from '../../kernel/time.js';
import { scrubbedPayload } from './events.js';
import { TERMINAL } from './fold.js';

export const BULK_DELETE_LIMIT = 500;

/**
 * Deletes those of `callIds` that are the project's and have ended, with their transcripts and
 * recordings, in one transaction; active calls and other projects' calls are skipped without a
 * word. The calls' events stay as an audit trail, scrubbed of personal data, and the calls are
 * remembered as deleted, so events the runtime reports later cannot bring them back. Recording
 * files go once the deletion is committed (a crash in between leaves unreachable files, never
 * a call without its audio).
 */
export async function bulkDeleteCalls(db: Db, blobs: BlobStore, projectId: string, callIds: string[]): Promise<number> {
  const requested = [...new Set(callIds)];
  const { deleted, blobKeys } = await withRetries(() =>
    db.transaction().execute(async (trx) => {
      // The same locks ingestion takes: a call cannot change status while it is being deleted.
      await lockCalls(trx, requested);
      const ended = await findCallsInStatus(trx, projectId, requested, [...TERMINAL]);
      if (ended.length === 0) return { deleted: 0, blobKeys: [] };
      await deleteMessagesOfCalls(trx, ended);
      const keys = await deleteRecordings(trx, ended);
      await deleteCalls(trx, ended);
      await insertDeletedCalls(trx, projectId, ended, nowMicros());
      for (const event of await eventsOfCalls(trx, ended)) {
        await replacePayload(trx, event.call_id, event.event_id, scrubbedPayload(event.payload));
      }
      return { deleted: ended.length, blobKeys: keys };
    }),
  );
  for (const key of blobKeys) await blobs.delete(key);
  return deleted;
}

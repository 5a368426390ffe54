import { LIVE_CALL_STATUSES } from '../../contract/calls.js';
import type { Db } from '../../store/database.js';
import { countCallsInStatus } from '../../store/calls-repo.js';

const LIVE = [...LIVE_CALL_STATUSES];

/**
 * How many of the project's calls are live (dialing or in progress): the count
 * GET /v1/call/concurrency/stream sends.
 */
export function countActiveCalls(db: Db, projectId: string): Promise<number> {
  return countCallsInStatus(db, projectId, LIVE);
}

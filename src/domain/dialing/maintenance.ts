import type { Db } from '../../store/database.js';
import { purgeFinishedJobs } from '../../store/dial-jobs-repo.js';
import { withRetries } from '../../store/failures.js';
import { purgeIdempotencyKeys } from '../../store/idempotency-repo.js';
import { lockNamed } from '../../store/locks.js';
import { IDEMPOTENCY_WINDOW_MICROS } from '../calls/place-call.js';
import { nowMicros } from '../../kernel/time.js';

const JOBS_PER_TRANSACTION = 1000;

/**
 * Forgets what no longer serves: dial jobs of calls that ended or were deleted, and
 * Idempotency-Keys past their 24 hours. Jobs go in short transactions under the claim lock, so
 * a claim never meets a job being deleted; neither table grows with every placed call.
 */
export async function purgeExpired(db: Db, now = nowMicros()): Promise<{ jobs: number; keys: number }> {
  let jobs = 0;
  for (;;) {
    const purged = await withRetries(() =>
      db.transaction().execute(async (trx) => {
        await lockNamed(trx, 'dial-jobs');
        return purgeFinishedJobs(trx, JOBS_PER_TRANSACTION);
      }),
    );
    jobs += purged;
    if (purged < JOBS_PER_TRANSACTION) break;
  }
  const keys = await withRetries(() => purgeIdempotencyKeys(db, now - IDEMPOTENCY_WINDOW_MICROS));
  return { jobs, keys };
}

/**
 * Runs purgeExpired every `everyMs` while the app is open, whether or not any runtime claims
 * jobs, and never on a request's or a claim's path. Several processes on one store may each
 * run it: a pass deletes only what is expired.
 */
export class Maintenance {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.runPass(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }

  private runPass(): void {
    if (this.pass !== undefined) return; // the previous pass is still running
    this.pass = purgeExpired(this.db)
      .then(() => undefined, this.onError)
      .finally(() => (this.pass = undefined));
  }
}

import { randomBytes } from 'node:crypto';
import type { Db } from '../../store/database.js';
import {
  activeCallCounts,
  deleteDialJob,
  dueJobs,
  findDialJob,
  markClaimed,
  markConfirmed,
  type DialJobRow,
} from '../../store/dial-jobs-repo.js';
import { withRetries } from '../../store/failures.js';
import { lockNamed } from '../../store/locks.js';
import { recordEvents } from '../calls/ingest.js';
import type { DialInstructions } from '../calls/place-call.js';
import { formatInstant, nowMicros, type Micros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import { dialingErrors } from './errors.js';
import { dialSettingsOf, type DialingOptions } from './settings.js';

/** A job as a runtime receives it: what to dial, and the lease it holds on it. */
export interface ClaimedJob {
  job_id: string;
  lease_token: string;
  lease_expires_at: string;
  attempt: number;
  call: DialInstructions;
}

/** How many due jobs one claim looks at, so a project at its cap cannot hide the others' jobs. */
const SCAN_LIMIT = 500;

/**
 * Takes up to `maxJobs` due jobs for one runtime, oldest first, skipping projects at their
 * concurrency cap (their jobs stay queued). Claims from every process are serialized by one
 * lock (SQLite has one writer; PostgreSQL takes an advisory lock), so a job is handed to one
 * claimer per lease. A job whose leases ran out `maxAttempts` times is given up: its call ends
 * `failed` ("dial_not_confirmed") instead of being offered forever.
 */
export async function claimJobs(
  db: Db,
  maxJobs: number,
  claimedBy: string | null,
  dialing: DialingOptions,
  clock: () => Micros = nowMicros,
): Promise<ClaimedJob[]> {
  return withRetries(() =>
    db.transaction().execute(async (trx) => {
      await lockNamed(trx, 'dial-jobs');
      const now = clock();
      const due = await dueJobs(trx, now, SCAN_LIMIT);
      const projects = [...new Set(due.map((j) => j.project_id))];
      const settings = await dialSettingsOf(trx, projects, dialing);
      const active = await activeCallCounts(trx, projects, now);
      const claimed: ClaimedJob[] = [];
      for (const job of due) {
        if (claimed.length >= maxJobs) break;
        if (job.attempts >= dialing.maxAttempts) {
          await giveUp(trx, job, now);
          continue;
        }
        const held = active.get(job.project_id) ?? 0;
        if (held >= (settings.get(job.project_id)?.maxConcurrentCalls ?? dialing.maxConcurrentCalls)) continue;
        active.set(job.project_id, held + 1);
        const lease = { token: randomBytes(16).toString('hex'), until: now + dialing.leaseMs * 1000, claimedBy };
        await markClaimed(trx, job.call_id, lease);
        claimed.push({
          job_id: job.call_id,
          lease_token: lease.token,
          lease_expires_at: formatInstant(lease.until),
          attempt: job.attempts + 1,
          call: JSON.parse(job.payload) as DialInstructions,
        });
      }
      return claimed;
    }),
  );
}

/**
 * The runtime has placed the call: the job is its for good. Refused (409) when the lease was
 * lost to another claimer, so exactly one runtime goes on with the call.
 */
export async function confirmJob(
  db: Db,
  jobId: string,
  leaseToken: string,
): Promise<{ job_id: string; state: 'confirmed' }> {
  return withRetries(() =>
    db.transaction().execute(async (trx) => {
      await lockNamed(trx, 'dial-jobs');
      const job = await findDialJob(trx, jobId);
      if (job === undefined) throw dialingErrors.jobNotFound(jobId);
      if (job.lease_token !== leaseToken) throw dialingErrors.leaseLost(jobId);
      if (job.state !== 'confirmed') await markConfirmed(trx, jobId, nowMicros());
      return { job_id: jobId, state: 'confirmed' as const };
    }),
  );
}

async function giveUp(trx: Db, job: DialJobRow, now: number): Promise<void> {
  await deleteDialJob(trx, job.call_id);
  await recordEvents(trx, [
    {
      eventId: newId(),
      projectId: job.project_id,
      callId: job.call_id,
      occurredAt: now,
      type: 'call.ended',
      data: { outcome: 'failed', end_reason: 'dial_not_confirmed' },
    },
  ]);
}

/**
 * Wakes long-polling claims in this process when a call is placed here; claims waiting in other
 * processes notice on their next poll.
 */
export class DialSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Resolves on the next notify or after `ms`, whichever is first. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }
}

import { sql } from 'kysely';
import type { Db } from './database.js';
import { dbInstant, withDbInstants } from './dialect.js';
import type { DialJobsTable } from './schema.js';

export type DialJobRow = DialJobsTable;

/** Calls whose job a runtime holds (claimed or confirmed) count against their project's cap until they end. */
const ACTIVE_CALL_STATUSES = ['dialing', 'in_progress'];

export async function insertDialJob(db: Db, row: DialJobRow): Promise<void> {
  await db
    .insertInto('dial_jobs')
    .values(withDbInstants(db, row, ['created_date', 'lease_until', 'confirmed_at']))
    .execute();
}

/**
 * Jobs a runtime may take now, oldest first: queued, or claimed with a lease that ran out. Only
 * calls still dialing (a call the customer deleted or the runtime already ended is not dialed).
 */
export async function dueJobs(db: Db, now: number, limit: number): Promise<DialJobRow[]> {
  return db
    .selectFrom('dial_jobs')
    .innerJoin('calls', 'calls.id', 'dial_jobs.call_id')
    .selectAll('dial_jobs')
    .where('calls.status', '=', 'dialing')
    .where((eb) =>
      eb.or([
        eb('dial_jobs.state', '=', 'queued'),
        eb.and([eb('dial_jobs.state', '=', 'claimed'), eb('dial_jobs.lease_until', '<', dbInstant(db, now))]),
      ]),
    )
    .orderBy('dial_jobs.created_date')
    .orderBy('dial_jobs.call_id')
    .limit(limit)
    .execute();
}

/** Per project: calls a runtime holds right now (an expired, unconfirmed claim holds nothing). */
export async function activeCallCounts(db: Db, projectIds: string[], now: number): Promise<Map<string, number>> {
  if (projectIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('dial_jobs')
    .innerJoin('calls', 'calls.id', 'dial_jobs.call_id')
    .select(['dial_jobs.project_id as project_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('dial_jobs.project_id', 'in', projectIds)
    .where('calls.status', 'in', ACTIVE_CALL_STATUSES)
    .where((eb) =>
      eb.or([
        eb('dial_jobs.state', '=', 'confirmed'),
        eb.and([eb('dial_jobs.state', '=', 'claimed'), eb('dial_jobs.lease_until', '>=', dbInstant(db, now))]),
      ]),
    )
    .groupBy('dial_jobs.project_id')
    .execute();
  return new Map(rows.map((r) => [r.project_id, Number(r.n)]));
}

export async function markClaimed(
  db: Db,
  callId: string,
  lease: { token: string; until: number; claimedBy: string | null },
): Promise<void> {
  await db
    .updateTable('dial_jobs')
    .set({
      state: 'claimed',
      lease_token: lease.token,
      lease_until: dbInstant(db, lease.until),
      claimed_by: lease.claimedBy,
      attempts: sql<number>`attempts + 1`,
    })
    .where('call_id', '=', callId)
    .execute();
}

export async function findDialJob(db: Db, callId: string): Promise<DialJobRow | undefined> {
  return db.selectFrom('dial_jobs').selectAll().where('call_id', '=', callId).executeTakeFirst();
}

export async function markConfirmed(db: Db, callId: string, now: number): Promise<void> {
  await db
    .updateTable('dial_jobs')
    .set({ state: 'confirmed', confirmed_at: dbInstant(db, now), lease_until: null })
    .where('call_id', '=', callId)
    .execute();
}

/** Jobs no runtime confirmed within `maxAttempts` leases: the call is given up. */
export async function deleteDialJob(db: Db, callId: string): Promise<void> {
  await db.deleteFrom('dial_jobs').where('call_id', '=', callId).execute();
}

/**
 * Forgets up to `limit` jobs whose call has ended or is gone (deleted by its customer): a job
 * matters only until its call ends, and the table would otherwise grow with every placed call.
 */
export async function purgeFinishedJobs(db: Db, limit: number): Promise<number> {
  const finished = db
    .selectFrom('dial_jobs')
    .leftJoin('calls', 'calls.id', 'dial_jobs.call_id')
    .select('dial_jobs.call_id')
    .where((eb) => eb.or([eb('calls.id', 'is', null), eb('calls.status', 'not in', ACTIVE_CALL_STATUSES)]))
    .limit(limit);
  const result = await db.deleteFrom('dial_jobs').where('call_id', 'in', finished).executeTakeFirst();
  return Number(result.numDeletedRows);
}

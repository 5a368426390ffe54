import { sql } from 'kysely';
import type { Db } from './database.js';
import { dbInstant, dialectOf, withDbInstants } from './dialect.js';
import type { WebhookStatusChangesTable } from './schema.js';

export type StatusChangeRow = WebhookStatusChangesTable;

export async function insertStatusChange(db: Db, row: StatusChangeRow): Promise<void> {
  await db
    .insertInto('webhook_status_changes')
    .values(withDbInstants(db, row, ['created_date']))
    .execute();
}

/**
 * Up to `limit` projects with status changes still to fan out, in id order from the first after
 * `after` (wrapping round), so that a long list is served in turns.
 */
export async function projectsWithChanges(db: Db, after: string | undefined, limit: number): Promise<string[]> {
  const page = (from: string | undefined, n: number) => {
    let query = db.selectFrom('webhook_status_changes').select('project_id').distinct().orderBy('project_id').limit(n);
    if (from !== undefined) query = query.where('project_id', '>', from);
    return query.execute();
  };
  const first = (await page(after, limit)).map((r) => r.project_id);
  if (after === undefined || first.length === limit) return first;
  const wrapped = (await page(undefined, limit - first.length)).map((r) => r.project_id);
  return [...first, ...wrapped.filter((id) => !first.includes(id))];
}

/**
 * A project's oldest status changes that are the first left of their call (a later change of a
 * call waits until the earlier one is fully fanned out, so each webhook gets a call's events in
 * order), locked for this transaction. On PostgreSQL, SKIP LOCKED: a change another process is
 * fanning out is left to it.
 */
export async function headChangesOf(trx: Db, projectId: string, limit: number): Promise<StatusChangeRow[]> {
  let query = trx
    .selectFrom('webhook_status_changes as c')
    .selectAll('c')
    .where('c.project_id', '=', projectId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_status_changes as p')
            .select(sql`1`.as('one'))
            .whereRef('p.call_id', '=', 'c.call_id')
            .whereRef('p.sequence', '<', 'c.sequence'),
        ),
      ),
    )
    .orderBy('c.created_date')
    .orderBy('c.id')
    .limit(limit);
  if (dialectOf(trx) === 'postgres') query = query.forUpdate().skipLocked();
  return query.execute();
}

/**
 * The next `limit` webhooks of a project (by id, after `after`) that existed when a change
 * happened: the ones to give its events to.
 */
export async function webhooksForChange(
  trx: Db,
  projectId: string,
  after: string | null,
  happenedAt: number,
  limit: number,
): Promise<{ id: string; subscribed_events: string }[]> {
  let query = trx
    .selectFrom('webhooks')
    .select(['id', 'subscribed_events'])
    .where('project_id', '=', projectId)
    .where('created_date', '<=', dbInstant(trx, happenedAt))
    .orderBy('id')
    .limit(limit);
  if (after !== null) query = query.where('id', '>', after);
  return query.execute();
}

/** Records that every webhook up to `webhookId` has the change's events. */
export async function advanceStatusChange(trx: Db, id: string, webhookId: string): Promise<void> {
  await trx.updateTable('webhook_status_changes').set({ fanned_out_to: webhookId }).where('id', '=', id).execute();
}

export async function deleteStatusChange(trx: Db, id: string): Promise<void> {
  await trx.deleteFrom('webhook_status_changes').where('id', '=', id).execute();
}

import type { Db } from '../../store/database.js';
import {
  advanceStatusChange,
  deleteStatusChange,
  headChangesOf,
  projectsWithChanges,
  webhooksForChange,
  type StatusChangeRow,
} from '../../store/webhook-changes-repo.js';
import { insertWebhookEvents, type WebhookEventRow } from '../../store/webhook-outbox-repo.js';
import { formatInstant, nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';

/** Outbox rows written per round, all projects together: each round is a short transaction. */
export const FAN_OUT_ROUND_ROWS = 100;
/** Changes of one project looked at per round. */
const CHANGES_PER_PROJECT = 20;

export interface FanOutRound {
  /** Outbox rows written. */
  rows: number;
  /** Work was done or left over: run another round soon (a round that finds none says false). */
  more: boolean;
}

/**
 * Expands recorded status changes into per-webhook outbox rows, outside the ingestion that
 * recorded them and in bounded rounds: every project with changes waiting gets an equal share
 * of the round's rows (a project with a thousand webhooks takes several rounds per change while
 * another project's change goes out in the next one), and each project's share is one short
 * transaction. A change is deleted once every webhook has its events; a call's next change
 * waits for that, so each webhook receives a call's events in order. Several processes
 * cooperate: each change is locked by the one fanning it out (PostgreSQL's SKIP LOCKED).
 */
export class FanOut {
  /** The project served first last round: the next round starts after it. */
  private after: string | undefined;

  constructor(
    private readonly db: Db,
    private readonly roundRows = FAN_OUT_ROUND_ROWS,
  ) {}

  async round(): Promise<FanOutRound> {
    const projects = await projectsWithChanges(this.db, this.after, this.roundRows);
    if (projects.length === 0) return { rows: 0, more: false };
    this.after = projects[0];
    const share = Math.max(1, Math.floor(this.roundRows / projects.length));
    let rows = 0;
    let more = false;
    for (const projectId of projects) {
      const done = await this.db.transaction().execute((trx) => fanOutProject(trx, projectId, share));
      rows += done.rows;
      more ||= done.more;
    }
    return { rows, more };
  }
}

/** Up to about `share` outbox rows from a project's oldest changes, in one transaction. */
async function fanOutProject(trx: Db, projectId: string, share: number): Promise<FanOutRound> {
  const changes = await headChangesOf(trx, projectId, CHANGES_PER_PROJECT);
  let rows = 0;
  for (const change of changes) {
    if (rows >= share) return { rows, more: true };
    const data = JSON.parse(change.data) as unknown[];
    // Each webhook gets all of a change's events at once; at least one webhook per round.
    const room = Math.max(1, Math.floor((share - rows) / data.length));
    const hooks = await webhooksForChange(trx, projectId, change.fanned_out_to, change.created_date, room);
    const subscribed = hooks.filter((hook) =>
      (JSON.parse(hook.subscribed_events) as string[]).includes('status_changed'),
    );
    await insertWebhookEvents(
      trx,
      subscribed.flatMap((hook) => eventsOf(change, data, hook.id)),
    );
    rows += hooks.length * data.length;
    const last = hooks.at(-1);
    if (hooks.length < room || last === undefined) await deleteStatusChange(trx, change.id);
    else await advanceStatusChange(trx, change.id, last.id);
  }
  // A finished change may have let a later change of its call through: look again.
  return { rows, more: changes.length > 0 };
}

/**
 * One webhook's events for a change. Each event has its own id, which receivers deduplicate
 * by; `created_date` is when the status changed, which is also where the retry window starts.
 */
function eventsOf(change: StatusChangeRow, data: unknown[], webhookId: string): WebhookEventRow[] {
  const now = nowMicros();
  return data.map((call, i) => {
    const id = newId();
    const sequence = change.sequence + i;
    const payload = {
      id,
      event: 'status_changed',
      created_date: formatInstant(change.created_date),
      sequence,
      data: call,
    };
    return {
      id,
      webhook_id: webhookId,
      project_id: change.project_id,
      call_id: change.call_id,
      sequence,
      payload: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_until: null,
      created_date: change.created_date,
      delivered_at: null,
    };
  });
}

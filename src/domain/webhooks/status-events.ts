import type { Db } from '../../store/database.js';
import { findCall } from '../../store/calls-repo.js';
import { insertStatusChange } from '../../store/webhook-changes-repo.js';
import { projectHasWebhooks } from '../../store/webhooks-repo.js';
import type { CallState } from '../calls/fold.js';
import { callResponseOf } from '../../contract/call-response.js';
import type { Micros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';

/** Whether a project has any webhook, asked once per project per ingestion transaction. */
export type StatusSubscribers = (projectId: string) => Promise<boolean>;

/** The lookup for one ingestion transaction: one indexed probe per project, whatever its webhook count. */
export function statusSubscribers(trx: Db): StatusSubscribers {
  const byProject = new Map<string, Promise<boolean>>();
  return (projectId) => {
    let any = byProject.get(projectId);
    if (any === undefined) {
      any = projectHasWebhooks(trx, projectId);
      byProject.set(projectId, any);
    }
    return any;
  };
}

/**
 * Records a call's status change for its project's webhooks, in the transaction that changed
 * the status (the outbox pattern): the change commits with the call or not at all. One row,
 * however many webhooks the project has: the delivery workers fan it out to each webhook
 * afterwards (fan-out.ts), so a project's webhook count never adds to ingestion's work.
 * `reached` are the statuses the call went through in this change, in order; `sequence` counts
 * the call's status changes, so a receiver can order them.
 */
export async function enqueueStatusChanged(
  trx: Db,
  subscribers: StatusSubscribers,
  projectId: string,
  callId: string,
  previousSequence: number,
  reached: CallState[],
  now: Micros,
): Promise<void> {
  if (!(await subscribers(projectId))) return;
  const call = await findCall(trx, projectId, callId);
  if (call === undefined) return;
  // The call as it stood when it reached each status. A recording stored here shows the
  // runtime's URL (or null): a signed URL would expire long before a retried delivery.
  const data = reached.map((snapshot) =>
    callResponseOf({
      ...call,
      status: snapshot.status,
      start_time: snapshot.startTime,
      end_time: snapshot.endTime,
      duration: snapshot.duration,
      end_reason: snapshot.endReason,
      recording_url: snapshot.recordingUrl,
    }),
  );
  await insertStatusChange(trx, {
    id: newId(),
    project_id: projectId,
    call_id: callId,
    sequence: previousSequence + 1,
    data: JSON.stringify(data),
    created_date: now,
    fanned_out_to: null,
  });
}

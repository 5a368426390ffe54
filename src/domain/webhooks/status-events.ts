import type { Db } from '../../store/database.js';
import { findCall } from '../../store/calls-repo.js';
import { insertWebhookEvents } from '../../store/webhook-outbox-repo.js';
import { webhooksOf, type WebhookRow } from '../../store/webhooks-repo.js';
import type { CallState } from '../calls/fold.js';
import { callResponseOf } from '../../contract/call-response.js';
import { formatInstant, type Micros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';

/** A project's webhooks subscribed to `status_changed`. */
export type StatusSubscribers = (projectId: string) => Promise<WebhookRow[]>;

/**
 * The subscribers lookup for one ingestion transaction: each project's webhooks are read once
 * per batch, however many of its calls change status in it.
 */
export function statusSubscribers(trx: Db): StatusSubscribers {
  const byProject = new Map<string, Promise<WebhookRow[]>>();
  return (projectId) => {
    let hooks = byProject.get(projectId);
    if (hooks === undefined) {
      hooks = webhooksOf(trx, projectId)
        .execute()
        .then((rows) =>
          rows.filter((hook) => (JSON.parse(hook.subscribed_events) as string[]).includes('status_changed')),
        );
      byProject.set(projectId, hooks);
    }
    return hooks;
  };
}

/**
 * Queues a `status_changed` event for each of the project's webhooks subscribed to it. Runs in
 * the transaction that changed the status (the outbox pattern): the events commit with the
 * change or not at all. `reached` are the statuses the call went through in this change, in
 * order. Each event has its own id, which receivers deduplicate by; `sequence` counts the call's
 * status changes, so a receiver can also order them.
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
  const hooks = await subscribers(projectId);
  if (hooks.length === 0) return;
  const call = await findCall(trx, projectId, callId);
  if (call === undefined) return;
  const rows = reached.flatMap((snapshot, i) => {
    const sequence = previousSequence + i + 1;
    // The call as it stood when it reached this status. A recording stored here shows the
    // runtime's URL (or null): a signed URL would expire long before a retried delivery.
    const data = callResponseOf({
      ...call,
      status: snapshot.status,
      start_time: snapshot.startTime,
      end_time: snapshot.endTime,
      duration: snapshot.duration,
      end_reason: snapshot.endReason,
      recording_url: snapshot.recordingUrl,
    });
    return hooks.map((hook) => {
      const id = newId();
      const payload = { id, event: 'status_changed', created_date: formatInstant(now), sequence, data };
      return {
        id,
        webhook_id: hook.id,
        project_id: projectId,
        call_id: callId,
        sequence,
        payload: JSON.stringify(payload),
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        lease_until: null,
        created_date: now,
        delivered_at: null,
      };
    });
  });
  await insertWebhookEvents(trx, rows);
}

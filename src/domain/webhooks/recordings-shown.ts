import type { WebhookRow } from '../../store/webhooks-repo.js';
import { showsField, type Grant } from '../api-keys/permissions.js';

/**
 * A webhook's deliveries carry call bodies, and the key that chose its receiver is their reader:
 * one without recordings.view must not get recording links sent where it likes. Decided when the
 * URL is set (a webhook outlives the request), applied at each delivery.
 */
export function showsRecordingsTo(actor: Grant): number {
  return showsField(actor, 'recording_url') ? 1 : 0;
}

/**
 * An event body as `hook` is sent it: the stored body, or a copy with its call's recording_url
 * null when the webhook may not show recordings. The outbox keeps the full body, so a later
 * change of URL decides what the events still queued show.
 */
export function payloadShownBy(hook: Pick<WebhookRow, 'shows_recordings'>, payload: string): string {
  if (hook.shows_recordings === 1) return payload;
  const event = JSON.parse(payload) as { data?: Record<string, unknown> | null };
  const data = event.data;
  if (data === null || data === undefined || typeof data !== 'object') return payload;
  if ('recording_url' in data) data.recording_url = null;
  return JSON.stringify(event);
}

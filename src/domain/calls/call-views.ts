import { renderCallView } from '../../contract/call-response.js';
import type { Db } from '../../store/database.js';
import { findContactCalls, updateCallView, type StoredCallView } from '../../store/calls-repo.js';

/** Renders again the stored views of a contact's calls, after its created_date moved. */
export async function renderContactCalls(trx: Db, projectId: string, contactId: string): Promise<void> {
  for (const row of await findContactCalls(trx, projectId, contactId)) {
    const view = renderCallView(row);
    if (view !== row.view) await updateCallView(trx, row.id, view);
  }
}

const RECORDING_KEY = '"recording_url":';

/**
 * A stored view as served (GET /v1/call/{id} and the listing). When this service stores the
 * recording (`stored_recording` is the call's id), its signed URL, minted per request by
 * `recordingUrlOf`, replaces the runtime's: the keys before recording_url (ids and a status)
 * cannot contain its key, so the first occurrence is the field. Without `recordingUrlOf` the
 * view is served as stored.
 */
export function servedView(stored: StoredCallView, recordingUrlOf?: (callId: string) => string): string {
  if (stored.stored_recording === null || recordingUrlOf === undefined) return stored.view;
  const signed = RECORDING_KEY + JSON.stringify(recordingUrlOf(stored.stored_recording));
  return stored.view.replace(RECORDING_KEY + JSON.stringify(stored.recording_url), () => signed);
}

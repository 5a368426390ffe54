import type { Db } from '../../store/database.js';
import { findContactCalls, updateCallView, type CallWithContact, type StoredCallView } from '../../store/calls-repo.js';
import { toCallView, type RecordingUrlOf } from './get-call.js';

/**
 * A call's stored view: its CallResponse JSON with the runtime's recording_url. Everything in it
 * is the call's own row except the contact's created_date, which is why a contact's re-dating
 * renders its calls again (renderContactCalls).
 */
export function renderCallView(row: Omit<CallWithContact, 'view'>): string {
  return JSON.stringify(toCallView({ ...row, stored_recording: null }));
}

/** Renders again the stored views of a contact's calls, after its created_date moved. */
export async function renderContactCalls(trx: Db, projectId: string, contactId: string): Promise<void> {
  for (const row of await findContactCalls(trx, projectId, contactId)) {
    const view = renderCallView(row);
    if (view !== row.view) await updateCallView(trx, row.id, view);
  }
}

const RECORDING_KEY = '"recording_url":';

/**
 * A stored view as served. When this service stores the recording (`stored_recording` is the
 * call's id), its signed URL, minted per request, replaces the runtime's: the keys before
 * recording_url (ids and a status) cannot contain its key, so the first occurrence is the field.
 */
export function servedStoredView(
  view: string,
  call: Pick<StoredCallView, 'recording_url' | 'stored_recording'>,
  recordingUrlOf?: RecordingUrlOf,
): string {
  if (call.stored_recording === null || recordingUrlOf === undefined) return view;
  const signed = RECORDING_KEY + JSON.stringify(recordingUrlOf(call.stored_recording));
  return view.replace(RECORDING_KEY + JSON.stringify(call.recording_url), () => signed);
}

/**
 * A call's CallResponse JSON as served: its stored view, or, for a call stored before views
 * existed, rendered now.
 */
export function servedView(row: CallWithContact, recordingUrlOf?: RecordingUrlOf): string {
  if (row.view === null) return JSON.stringify(toCallView(row, recordingUrlOf));
  return servedStoredView(row.view, row, recordingUrlOf);
}

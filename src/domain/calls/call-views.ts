import type { Db } from '../../store/database.js';
import { findContactCalls, updateCallView, type CallWithContact } from '../../store/calls-repo.js';
import { toCallView, type RecordingUrlOf } from './get-call.js';

/**
 * A call's stored view: its CallResponse JSON with the runtime's recording_url. Everything in it
 * is the call's own row except the contact's created_date, which is why a contact's re-dating
 * renders its calls again (renderContactCalls).
 */
export function renderCallView(row: CallWithContact): string {
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
 * A stored view with a recording this service stores: its signed URL, minted per request, in
 * place of the runtime's. The keys before recording_url (ids and a status) cannot contain its
 * key, so the first occurrence is the field.
 */
export function withSignedRecording(view: string, runtimeUrl: string | null, signedUrl: string): string {
  const signed = RECORDING_KEY + JSON.stringify(signedUrl);
  return view.replace(RECORDING_KEY + JSON.stringify(runtimeUrl), () => signed);
}

/**
 * A call's CallResponse JSON as served: its stored view (with a signed recording URL when this
 * service stores the audio), or, for a call stored before views existed, rendered now.
 */
export function servedView(row: CallWithContact, recordingUrlOf?: RecordingUrlOf): string {
  if (row.view === null) return JSON.stringify(toCallView(row, recordingUrlOf));
  if (row.stored_recording === null || recordingUrlOf === undefined) return row.view;
  return withSignedRecording(row.view, row.recording_url, recordingUrlOf(row.id));
}

import { renderCallView } from '../../contract/call-response.js';
import type { Db } from '../../store/database.js';
import { showsField, type Grant } from '../api-keys/permissions.js';
import { findContactCalls, updateCallView, type StoredCallView } from '../../store/calls-repo.js';

/** Renders again the stored views of a contact's calls, after its created_date moved. */
export async function renderContactCalls(trx: Db, projectId: string, contactId: string): Promise<void> {
  for (const row of await findContactCalls(trx, projectId, contactId)) {
    const view = renderCallView(row);
    if (view !== row.view) await updateCallView(trx, row.id, view);
  }
}

/** A signed URL for a recording this service stores. */
export type RecordingUrlOf = (callId: string) => string;

/**
 * Who reads a call, as its served view needs to know: what their key may see (a call body is
 * readable with calls.view or calls.create, its recording_url only with recordings.view), and
 * how a recording stored here is signed for them. Built per request (http/recording-urls.ts).
 */
export interface CallReader {
  grant: Grant;
  recordingUrlOf: RecordingUrlOf;
}

const RECORDING_KEY = '"recording_url":';

/**
 * A stored view as `reader` is served it (GET /v1/call/{id}, the listing, POST /v1/call/'s
 * replay). A reader who may not see recordings gets recording_url null, whoever's URL it was:
 * the runtime's links to the audio as much as a signed one. Otherwise, when this service stores
 * the recording (`stored_recording` is the call's id), its signed URL, minted per request,
 * replaces the runtime's.
 */
export function servedView(stored: StoredCallView, reader: CallReader): string {
  if (!showsField(reader.grant, 'recording_url')) return withRecordingUrl(stored.view, 'null');
  if (stored.stored_recording === null) return stored.view;
  return withRecordingUrl(stored.view, JSON.stringify(reader.recordingUrlOf(stored.stored_recording)));
}

/**
 * `view` with the value of its recording_url replaced by `json`. The keys before it (ids and a
 * status) cannot contain its key, so the first occurrence is the field; its value is null or a
 * string, read to its closing quote whatever the serializer escaped inside it.
 */
function withRecordingUrl(view: string, json: string): string {
  const start = view.indexOf(RECORDING_KEY) + RECORDING_KEY.length;
  if (start < RECORDING_KEY.length) throw new Error('a stored call view without recording_url');
  let end = start + 4; // null
  if (view[start] === '"') {
    end = start + 1;
    while (end < view.length && view[end] !== '"') end += view[end] === '\\' ? 2 : 1;
    end += 1;
  }
  return view.slice(0, start) + json + view.slice(end);
}

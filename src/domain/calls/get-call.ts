import { errors } from '../../kernel/errors.js';
import type { Db } from '../../store/database.js';
import { findCall, type CallWithContact } from '../../store/calls-repo.js';
import { formatInstant } from '../../kernel/time.js';
import type { CallStatus } from '../../contract/calls.js';
import type { CreatedData } from './events.js';

/** A call as Diga's CallResponse shows it: every key present, absent values as null. */
export interface CallView {
  id: string;
  agent_id: string | null;
  agent_version_id: string | null;
  status: CallStatus;
  recording_url: string | null;
  start_time: string | null;
  end_time: string | null;
  duration: number | null;
  type: CreatedData['type'];
  end_reason: string | null;
  contact: {
    id: string;
    created_date: string;
    identifier: string;
    contact_type: CreatedData['contact']['contact_type'];
  };
  phone_register_id: string | null;
  dynamic_variables: Record<string, unknown> | null;
  created_date: string;
}

/** A signed URL for a recording this service stores. */
export type RecordingUrlOf = (callId: string) => string;

/** One call of the caller's project; CALL_NOT_FOUND when missing or another project's. */
export async function getCall(
  db: Db,
  projectId: string,
  callId: string,
  recordingUrlOf?: RecordingUrlOf,
): Promise<CallView> {
  const row = await findCall(db, projectId, callId);
  if (row === undefined) throw errors.callNotFound(callId);
  return toCallView(row, recordingUrlOf);
}

/**
 * CallResponse for a stored call. `recording_url` is a signed URL to this service when it stores
 * the audio, else the URL the runtime reported (or null).
 */
export function toCallView(row: Omit<CallWithContact, 'view'>, recordingUrlOf?: RecordingUrlOf): CallView {
  return {
    id: row.id,
    agent_id: row.agent_id,
    agent_version_id: row.agent_version_id,
    status: row.status as CallStatus,
    recording_url:
      row.stored_recording !== null && recordingUrlOf !== undefined ? recordingUrlOf(row.id) : row.recording_url,
    start_time: row.start_time === null ? null : formatInstant(row.start_time),
    end_time: row.end_time === null ? null : formatInstant(row.end_time),
    duration: row.duration,
    type: row.type as CallView['type'],
    end_reason: row.end_reason,
    contact: {
      id: row.contact_id,
      created_date: formatInstant(row.contact_created_date),
      identifier: row.contact_identifier,
      contact_type: row.contact_type as CallView['contact']['contact_type'],
    },
    phone_register_id: row.phone_register_id,
    dynamic_variables:
      row.dynamic_variables === null ? null : (JSON.parse(row.dynamic_variables) as Record<string, unknown>),
    created_date: formatInstant(row.created_date),
  };
}

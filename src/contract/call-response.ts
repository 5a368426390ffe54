import { serializerFor } from '../kernel/json-serializer.js';
import { formatInstant, type Micros } from '../kernel/time.js';
import { CallResponseSchema, callSchemas } from './calls.js';

/**
 * What a call's CallResponse shows, as the store keeps it: the call's row with its contact's
 * columns. Instants are microseconds; dynamic_variables is the JSON text the runtime sent.
 */
export interface CallColumns {
  id: string;
  agent_id: string | null;
  agent_version_id: string | null;
  status: string;
  recording_url: string | null;
  start_time: Micros | null;
  end_time: Micros | null;
  duration: number | null;
  type: string;
  end_reason: string | null;
  contact_id: string;
  contact_created_date: Micros;
  contact_identifier: string;
  contact_type: string;
  phone_register_id: string | null;
  dynamic_variables: string | null;
  created_date: Micros;
}

/**
 * A call's CallResponse (contract/calls.ts), every key present, in the contract's order, absent
 * values as null, and recording_url the runtime's: a recording stored here is signed per request
 * (servedView). The one rendering of a call: ingestion stores it as the call's view, webhooks
 * send it, and the store's migration 0010 rendered the views older calls lacked (migrations may
 * read the contract: .dependency-cruiser.cjs).
 */
export function callResponseOf(call: CallColumns) {
  return {
    id: call.id,
    agent_id: call.agent_id,
    agent_version_id: call.agent_version_id,
    status: call.status,
    recording_url: call.recording_url,
    start_time: call.start_time === null ? null : formatInstant(call.start_time),
    end_time: call.end_time === null ? null : formatInstant(call.end_time),
    duration: call.duration,
    type: call.type,
    end_reason: call.end_reason,
    contact: {
      id: call.contact_id,
      created_date: formatInstant(call.contact_created_date),
      identifier: call.contact_identifier,
      contact_type: call.contact_type,
    },
    phone_register_id: call.phone_register_id,
    dynamic_variables:
      call.dynamic_variables === null ? null : (JSON.parse(call.dynamic_variables) as Record<string, unknown>),
    created_date: formatInstant(call.created_date),
  };
}

/**
 * A call's stored view: its CallResponse as JSON. Everything in it is the call's own row except
 * the contact's created_date, which is why a contact's re-dating renders its calls again.
 */
export function renderCallView(call: CallColumns): string {
  return serializeCallResponse(callResponseOf(call));
}

/** CallResponse as its schema writes it: the one serialization path of every response body. */
const serializeCallResponse = serializerFor(CallResponseSchema, callSchemas);

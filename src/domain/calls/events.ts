import { canonicalUuid } from '../../kernel/uuid.js';
import { parseInstant, type Micros } from '../../kernel/time.js';
import type { RuntimeEvent, StoredToolCall, ToolCall } from '../../contract/events.js';

/**
 * A runtime event in canonical form: lowercase hyphenated ids, the instant in microseconds,
 * only the fields the schema knows. Two reports of one event are the same event exactly when
 * their canonical payloads are equal.
 */
export type CallEvent = {
  eventId: string;
  projectId: string;
  callId: string;
  occurredAt: Micros;
} & (
  | { type: 'call.created'; data: CreatedData }
  | { type: 'call.answered'; data: Record<string, never> }
  | { type: 'call.ended'; data: EndedData }
  | { type: 'call.recording_ready'; data: { recording_url: string } }
  | { type: 'call.message'; data: MessageData }
);

export interface CreatedData {
  type: 'inbound' | 'outbound';
  contact: { identifier: string; contact_type: 'call' | 'web' };
  agent_id: string | null;
  agent_version_id: string | null;
  phone_register_id: string | null;
  dynamic_variables: Record<string, unknown> | null;
}

export interface EndedData {
  outcome: 'completed' | 'failed' | 'transferred' | 'no_answer';
  end_reason: string | null;
}

export interface MessageData {
  role: 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_call: StoredToolCall | null;
}

/** Canonicalizes a schema-valid event. Throws only if the schema was bypassed. */
export function canonicalEvent(event: RuntimeEvent): CallEvent {
  const envelope = {
    eventId: requireUuid(event.event_id),
    projectId: requireUuid(event.project_id),
    callId: requireUuid(event.call_id),
    occurredAt: requireInstant(event.occurred_at),
  };
  switch (event.type) {
    case 'call.created': {
      const d = event.data;
      return {
        ...envelope,
        type: event.type,
        data: {
          type: d.type,
          contact: { identifier: d.contact.identifier, contact_type: d.contact.contact_type },
          agent_id: optionalUuid(d.agent_id),
          agent_version_id: optionalUuid(d.agent_version_id),
          phone_register_id: optionalUuid(d.phone_register_id),
          dynamic_variables: d.dynamic_variables ?? null,
        },
      };
    }
    case 'call.answered':
      return { ...envelope, type: event.type, data: {} };
    case 'call.ended':
      return {
        ...envelope,
        type: event.type,
        data: { outcome: event.data.outcome, end_reason: event.data.end_reason ?? null },
      };
    case 'call.recording_ready':
      return { ...envelope, type: event.type, data: { recording_url: event.data.recording_url } };
    case 'call.message':
      return {
        ...envelope,
        type: event.type,
        data: {
          role: event.data.role,
          content: event.data.content ?? null,
          tool_call: event.data.tool_call ? canonicalToolCall(event.data.tool_call) : null,
        },
      };
  }
}

/**
 * A tool call as MessageResponse shows it: `type` filled in (pydantic's default) and the keys
 * in the order of Diga's FunctionSchema / CallToolSchema.
 */
function canonicalToolCall(call: ToolCall): StoredToolCall {
  if ('tool_name' in call) {
    return { tool_name: call.tool_name, payload: call.payload, type: 'call_tool', status: call.status };
  }
  return { function_name: call.function_name, payload: call.payload, status: call.status, type: 'function' };
}

/**
 * The stored form of an event. Objects keep the order the runtime sent (dynamic variables come
 * back to customers as they were given); sameEventContent compares regardless of key order.
 */
export function eventPayload(event: CallEvent): string {
  return JSON.stringify({
    project_id: event.projectId,
    call_id: event.callId,
    type: event.type,
    occurred_at: event.occurredAt,
    data: event.data,
  });
}

export function eventFromPayload(eventId: string, payload: string): CallEvent {
  const p = JSON.parse(payload) as {
    project_id: string;
    call_id: string;
    type: CallEvent['type'];
    occurred_at: number;
    data: CallEvent['data'];
  };
  return {
    eventId,
    projectId: p.project_id,
    callId: p.call_id,
    occurredAt: p.occurred_at,
    type: p.type,
    data: p.data,
  } as CallEvent;
}

/**
 * A stored payload with the personal data removed, for the audit trail of a deleted call: who
 * called (the contact's identifier), what was said (message content and tool calls), the
 * dynamic variables and the recording's location. Types, instants and outcomes stay.
 */
export function scrubbedPayload(payload: string): string {
  const event = JSON.parse(payload) as { type: CallEvent['type']; data: Record<string, unknown> };
  const data = event.data;
  switch (event.type) {
    case 'call.created':
      data.contact = { ...(data.contact as object), identifier: REDACTED };
      data.dynamic_variables = null;
      break;
    case 'call.message':
      data.content = null;
      data.tool_call = null;
      break;
    case 'call.recording_ready':
      data.recording_url = REDACTED;
      break;
    default:
      break;
  }
  return JSON.stringify(event);
}

const REDACTED = '[deleted]';

/** Whether two stored payloads describe the same event: equal content, in any key order. */
export function sameEventContent(a: string, b: string): boolean {
  return a === b || stableStringify(JSON.parse(a)) === stableStringify(JSON.parse(b));
}

/** JSON with object keys sorted at every depth, so equal content gives equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

function requireUuid(value: string): string {
  const id = canonicalUuid(value);
  if (id === undefined) throw new TypeError(`not a UUID: ${value}`);
  return id;
}

function optionalUuid(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : requireUuid(value);
}

function requireInstant(value: string): Micros {
  const micros = parseInstant(value);
  if (micros === undefined) throw new TypeError(`not a date-time: ${value}`);
  return micros;
}

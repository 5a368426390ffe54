import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../kernel/typebox.js';
import { CALL_OUTCOMES } from './calls.js';

/**
 * What the voice runtime reports about a call: the ingestion API's request body. The schema
 * validates the HTTP body and documents the internal API; ingestEvents takes its Static type.
 */
const Uuid = (description: string) => Type.String({ format: 'uuid', description });

export const CallTypeValues = ['inbound', 'outbound'] as const;
export const ChannelValues = ['call', 'web'] as const;
export const MessageRoleValues = ['user', 'assistant', 'tool'] as const;

const Envelope = {
  event_id: Uuid('Unique id of this event; replaying it is a no-op'),
  project_id: Uuid('The project the call belongs to'),
  call_id: Uuid('The call this event is about'),
  occurred_at: Type.String({
    format: 'date-time',
    description:
      'When it happened, ISO 8601 with an offset, from 1700-01-01T00:00:00Z to 2199-12-31T23:59:59.999999Z; orders the events of a call',
  }),
};

const Contact = Type.Object(
  {
    identifier: Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'E.164 phone number for `call` contacts, browser id for `web` contacts',
    }),
    contact_type: StringEnum(ChannelValues),
  },
  { additionalProperties: false },
);

const JsonObject = Type.Record(Type.String(), Type.Unknown());

const CallCreatedData = Type.Object({
  type: StringEnum(CallTypeValues),
  contact: Contact,
  agent_id: Type.Optional(Nullable(Uuid('Agent that handled the call'))),
  agent_version_id: Type.Optional(Nullable(Uuid('Agent version that handled the call'))),
  phone_register_id: Type.Optional(Nullable(Uuid('Phone used to make or receive the call'))),
  dynamic_variables: Type.Optional(Nullable(JsonObject)),
});

const CallEndedData = Type.Object({
  outcome: StringEnum(CALL_OUTCOMES),
  end_reason: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
});

const RecordingReadyData = Type.Object({
  recording_url: Type.String({ minLength: 1, maxLength: 2048 }),
});

export const ToolCallStatusValues = ['error', 'success', 'cancelled'] as const;
export const CallToolNameValues = ['transfer', 'hangup', 'detect_answering_machine', 'add_participant'] as const;

/** Diga's FunctionSchema: a call to one of the agent's own functions. */
const FunctionToolCall = Type.Object(
  {
    function_name: Type.String({ minLength: 1, maxLength: 255 }),
    payload: JsonObject,
    status: StringEnum(ToolCallStatusValues),
    type: Type.Optional(Type.Literal('function')),
  },
  { title: 'FunctionSchema' },
);

/** Diga's CallToolSchema: a telephony action such as a transfer or a hang-up. */
const CallToolCall = Type.Object(
  {
    tool_name: StringEnum(CallToolNameValues),
    payload: JsonObject,
    status: StringEnum(ToolCallStatusValues),
    type: Type.Optional(Type.Literal('call_tool')),
  },
  { title: 'CallToolSchema' },
);

const CallMessageData = Type.Object({
  role: StringEnum(MessageRoleValues),
  content: Type.Optional(Nullable(Type.String({ maxLength: 100_000 }))),
  tool_call: Type.Optional(Nullable(Type.Union([FunctionToolCall, CallToolCall]))),
});

export type ToolCall = Static<typeof FunctionToolCall> | Static<typeof CallToolCall>;
/** A tool call as stored and shown: `type` always present. */
export type StoredToolCall = Required<ToolCall>;

const event = <K extends string, D extends TSchema>(type: K, data: D, title: string) =>
  Type.Object({ ...Envelope, type: Type.Literal(type), data }, { title });

export const CallCreatedEvent = event('call.created', CallCreatedData, 'CallCreatedEvent');
export const CallAnsweredEvent = event('call.answered', Type.Object({}), 'CallAnsweredEvent');
export const CallEndedEvent = event('call.ended', CallEndedData, 'CallEndedEvent');
export const RecordingReadyEvent = event('call.recording_ready', RecordingReadyData, 'RecordingReadyEvent');
export const CallMessageEvent = event('call.message', CallMessageData, 'CallMessageEvent');

const EventUnion = Type.Union([
  CallCreatedEvent,
  CallAnsweredEvent,
  CallEndedEvent,
  RecordingReadyEvent,
  CallMessageEvent,
]);

/**
 * A discriminated oneOf rather than TypeBox's anyOf: ajv then checks only the branch that the
 * event's `type` names, so a 422 points at the real field instead of at every branch.
 */
export const RuntimeEventSchema = Type.Unsafe<Static<typeof EventUnion>>({
  oneOf: EventUnion.anyOf,
  discriminator: { propertyName: 'type' },
  required: ['type'],
  type: 'object',
});

export const EventBatchSchema = Type.Object(
  { events: Type.Array(RuntimeEventSchema, { minItems: 1, maxItems: 1000 }) },
  { title: 'EventBatch' },
);

export type RuntimeEvent = Static<typeof EventUnion>;
export type EventBatch = Static<typeof EventBatchSchema>;
export type EventType = RuntimeEvent['type'];

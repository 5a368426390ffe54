import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from '../kernel/typebox.js';
import { paginated } from './pagination.js';

/** CallResponse and the schemas it embeds, mirroring spec/get-call-by-id.md field for field. */
const meta = (title: string, description: string) => ({ title, description });

/** The statuses of a call not yet ended, in the order a call moves through them. */
export const LIVE_CALL_STATUSES = ['dialing', 'in_progress'] as const;
/** The statuses a call ends in: the outcomes the runtime reports. */
export const CALL_OUTCOMES = ['completed', 'failed', 'transferred', 'no_answer'] as const;
/** Every status of a call: the one list (fold.ts, the runtime's events and the filters use it). */
export const CALL_STATUSES = [...LIVE_CALL_STATUSES, ...CALL_OUTCOMES] as const;

export const CallStatusSchema = StringEnum(CALL_STATUSES, { $id: 'CallStatus', title: 'CallStatus' });
export type CallStatus = Static<typeof CallStatusSchema>;
export const CallTypeSchema = StringEnum(['inbound', 'outbound'], { $id: 'CallType', title: 'CallType' });
export const ChannelSchema = StringEnum(['call', 'web'], { $id: 'Channel', title: 'Channel' });

export const ContactResponseSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', ...meta('Caller ID', 'Unique identifier for the caller') }),
    created_date: Type.String({
      format: 'date-time',
      ...meta(
        'Created Date',
        'The date and time when the callerwas registered for the first time. Notice thatthe caller is created just the first time they call.',
      ),
    }),
    identifier: Type.String(
      meta(
        'Identifier',
        "The identifier of the caller. This is the phone number of the caller if it's a phone call contact or the browser identifier if it's a web contact.",
      ),
    ),
    contact_type: Type.Ref(ChannelSchema, meta('Contact Type', 'The type of contact.')),
  },
  { $id: 'ContactResponseSchema', title: 'ContactResponseSchema' },
);

const nullableUuid = (title: string, description: string) =>
  Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { title, description });
const nullableDateTime = (title: string, description: string) =>
  Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { title, description });

export const CallResponseSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', ...meta('Call ID', 'The unique identifier for the call') }),
    agent_id: nullableUuid('Agent ID', 'The unique identifier for the agent that handled the call'),
    agent_version_id: nullableUuid(
      'Agent Version ID',
      'The unique identifier for the agent version that handled the call',
    ),
    status: Type.Ref(CallStatusSchema, meta('Call Status', 'The current status of the call')),
    recording_url: Type.Optional(
      Type.Union([Type.String(), Type.Null()], meta('Recording URL', 'The call recording URL.')),
    ),
    start_time: Type.Optional(nullableDateTime('Call Start Time', 'The start time of the call')),
    end_time: Type.Optional(nullableDateTime('Call End Time', 'The end time of the call, if ended')),
    duration: Type.Optional(
      Type.Union(
        [Type.Integer(), Type.Null()],
        meta('Call Duration', 'The call duration in seconds. `null` if the call has not ended'),
      ),
    ),
    type: Type.Ref(CallTypeSchema, meta('Call Type', 'The direction of the phone call')),
    end_reason: Type.Optional(
      Type.Union(
        [Type.String(), Type.Null()],
        meta('End Reason', 'The reason for call termination, if the call has ended'),
      ),
    ),
    contact: Type.Ref(
      ContactResponseSchema,
      meta('Contact', 'Details of the contact that initiated or received the call'),
    ),
    phone_register_id: nullableUuid('Phone ID', 'The ID of the phone that was used to make or receive the call'),
    dynamic_variables: Type.Optional(
      Type.Union(
        [Type.Object({}, { additionalProperties: true }), Type.Null()],
        meta('Dynamic Variables', 'A dictionary of dynamic variables that were used during the call'),
      ),
    ),
    created_date: Type.String({
      format: 'date-time',
      ...meta('Created Date', 'The date and time when the call was created'),
    }),
  },
  { $id: 'CallResponse', title: 'CallResponse' },
);

/** A call as GET /v1/call/{id} answers it. */
export type CallResponse = Static<typeof CallResponseSchema>;

export const PaginatedCallsSchema = paginated(CallResponseSchema, 'CallResponse');

export const callSchemas = [
  CallStatusSchema,
  CallTypeSchema,
  ChannelSchema,
  ContactResponseSchema,
  CallResponseSchema,
  PaginatedCallsSchema,
];

export const CallIdParamsSchema = Type.Object({
  id: Type.String({
    format: 'uuid',
    ...meta('Call ID', 'The unique identifier for the call'),
  }),
});

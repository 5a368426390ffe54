import { ApiError } from '../../kernel/errors.js';

/** Every error the calls resource answers with; codes and messages as Diga's reference names them. */
export const callErrors = {
  notFound: (callId: string) => new ApiError(404, 'CALL_NOT_FOUND', `Call ${callId} not found`),
  noMessages: (callId: string) => new ApiError(404, 'NO_MESSAGES_FOR_CALL', `No messages found for call ${callId}`),
  dateRangeReversed: () =>
    new ApiError(
      400,
      'NOT_VALID_FIELD',
      'Invalid field value in query parameters: start_created_date is after end_created_date',
    ),
  /** The runtime sent an event id again with other content. */
  eventConflict: (eventId: string, index: number) =>
    new ApiError(
      409,
      'EVENT_ID_CONFLICT',
      `Event ${eventId} (events[${index}]) was already recorded with different content`,
    ),
  notE164: (number: string) =>
    new ApiError(400, 'INVALID_PHONE_NUMBER', `Phone number ${number} is not a valid E.164 number`),
  countryNotAllowed: (number: string) =>
    new ApiError(400, 'NON_SPANISH_PHONE_NUMBER', `Phone number ${number} is not a Spanish phone number`),
  sipConfigNotSet: () => new ApiError(412, 'SIP_CONFIG_NOT_SET', 'SIP configuration not set for this project'),
  versionNotLaunched: (versionId: string) =>
    new ApiError(
      412,
      'AGENT_VERSION_NOT_LAUNCHED',
      `Agent version ${versionId} is a draft: launch it as a version before it takes calls`,
    ),
  noOutboundAgent: (number: string) =>
    new ApiError(
      412,
      'NO_OUTBOUND_AGENT',
      `Phone number ${number} has no outbound agent: publish an agent version on it or give agent_version_id`,
    ),
  /** Concurrency streams open at once, per key or per project (stream-slots.ts). */
  tooManyStreams: (holder: 'key' | 'project', limit: number) =>
    new ApiError(
      429,
      'TOO_MANY_STREAMS',
      `Too many open concurrency streams for this ${holder} (at most ${limit}); close one first`,
    ),
} as const;

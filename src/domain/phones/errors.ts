import { ApiError, RequestValidationError } from '../../kernel/errors.js';
import type { Direction } from '../../store/phones-repo.js';

/** Every error the phones resource answers with; codes and messages as Diga's reference names them. */
export const phoneErrors = {
  /** `what`: the phone's id, or the number a call was asked to be made from. */
  notFound: (what: string) => new ApiError(404, 'PHONE_NUMBER_NOT_FOUND', `Phone number ${what} not found`),
  alreadyInProject: (number: string) =>
    new ApiError(409, 'PHONE_NUMBER_ALREADY_EXISTS', `Phone number ${number} is already in this project`),
  /** A number routes to one project; this says only that another holds it, never which. */
  heldByAnotherProject: () =>
    new ApiError(
      409,
      'PHONE_NUMBER_ALREADY_EXISTS',
      'This phone number is already imported by another project; release it there first',
    ),
  agentPublishedElsewhere: (agentId: string, publishedVersionId: string, phoneId: string, direction: Direction) =>
    new ApiError(
      409,
      'AGENT_ALREADY_PUBLISHED',
      `Agent ${agentId} already has version ${publishedVersionId} published on phone ${phoneId} (${direction} binding refused): an agent has one published version at a time`,
    ),
  /** A 422 as pydantic reports a failed validator on `phone_number`. */
  notANumber: (input: string) =>
    new RequestValidationError([
      {
        type: 'value_error',
        loc: ['body', 'phone_number'],
        msg: 'Value error, phone_number must be an E.164 number (+34…) or a SIP identifier (user@domain)',
        input,
      },
    ]),
} as const;

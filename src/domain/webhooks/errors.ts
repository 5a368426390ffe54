import { ApiError, RequestValidationError } from '../../kernel/errors.js';

/** Every error the webhooks resource answers with; codes and messages as Diga's reference names them. */
export const webhookErrors = {
  notFound: () => new ApiError(404, 'WEBHOOK_NOT_FOUND', 'Error from WebhookNotFoundException'),
  deliveryNotFound: () => new ApiError(404, 'DELIVERY_NOT_FOUND', 'Webhook delivery not found'),
  /** Not in Diga's reference: this service caps each project's webhooks (DIGA_WEBHOOK_MAX_PER_PROJECT). */
  limitExceeded: (max: number) =>
    new ApiError(400, 'WEBHOOK_LIMIT_EXCEEDED', `A project is limited to ${max} webhooks`),
  /** A 422 as pydantic reports a failed validator on `url`; `problem` says what the policy refused. */
  urlRefused: (url: string, problem: string) =>
    new RequestValidationError([
      { type: 'value_error', loc: ['body', 'url'], msg: `Value error, webhook URL ${problem}`, input: url },
    ]),
} as const;

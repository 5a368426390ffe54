import { Type } from '@sinclair/typebox';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { WebhookResponseSchema } from '../../../contract/webhooks.js';

export const webhookCommon = { tags: ['Webhooks'], security: [{ CustomHTTPBearer: [] }] };

/** The body of the operations that answer one webhook, without its secret. */
export const webhookResponse = Type.Ref(WebhookResponseSchema, { description: 'Successful Response' });

/** The errors of the operations on one webhook, named by its id. */
export const webhookItemErrors = {
  401: errorResponse('Invalid Api Key'),
  403: errorResponse('Forbidden - Insufficient permissions'),
  404: errorResponse('Webhook Not Found'),
  422: validationErrorResponse,
  500: errorResponse('Internal Server Error'),
};

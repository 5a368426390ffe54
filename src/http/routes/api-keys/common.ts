import { Type } from '@sinclair/typebox';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { RedactedApiKeyResponseSchema } from '../../../contract/api-keys.js';

export const apiKeyCommon = { tags: ['API Keys'], security: [{ CustomHTTPBearer: [] }] };

/** The body of the operations that answer one key, without its value. */
export const redactedApiKeyResponse = Type.Ref(RedactedApiKeyResponseSchema, { description: 'Successful Response' });

/** The errors of the operations on one key, named by its id. */
export const apiKeyItemErrors = {
  401: errorResponse('Invalid Api Key'),
  403: errorResponse('Forbidden - Insufficient permissions'),
  404: errorResponse('Api Key Not Found'),
  422: validationErrorResponse,
  500: errorResponse('Internal Server Error'),
};

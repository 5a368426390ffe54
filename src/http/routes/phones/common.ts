import { Type } from '@sinclair/typebox';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { PhoneRegisterResponseSchema } from '../../../contract/phones.js';

export const phoneCommon = { tags: ['Phones'], security: [{ CustomHTTPBearer: [] }] };

/** The body of the operations that answer one phone. */
export const phoneResponse = Type.Ref(PhoneRegisterResponseSchema, { description: 'Successful Response' });

/** The errors of the operations on one phone, named by its id. */
export const phoneItemErrors = {
  401: errorResponse('Invalid Api Key'),
  403: errorResponse('Forbidden - Insufficient permissions'),
  404: errorResponse('Phone Number Not Found'),
  422: validationErrorResponse,
};

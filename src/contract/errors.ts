import { Type } from '@sinclair/typebox';

/** Diga's error envelope and FastAPI's validation-error shape, as the seed defines them. */
export const ErrorResponseSchema = Type.Object(
  {
    status: Type.Optional(
      Type.String({
        title: 'Status',
        description: "Status of the response, always 'error' for error responses",
        default: 'error',
      }),
    ),
    error_code: Type.String({
      title: 'Error Code',
      description: 'Machine-readable error code in SCREAMING_SNAKE_CASE format',
      examples: ['PROJECT_NOT_FOUND', 'INVALID_EMAIL', 'UNAUTHORIZED_ROLE'],
    }),
    message: Type.String({
      title: 'Message',
      description: 'Human-readable error message with details',
      examples: [
        'Project with id 550e8400-e29b-41d4-a716-446655440000 not found',
        'The email invalid@email is not valid',
        'Insufficient permissions to perform this action',
      ],
    }),
  },
  {
    $id: 'ErrorResponseSchema',
    title: 'ErrorResponseSchema',
    description: 'Standard error response format for all API errors.',
  },
);

/**
 * One pydantic v2 error. `input` and `ctx` are what FastAPI sends beside the documented
 * `loc`, `msg` and `type`; they are declared so the serializer keeps them.
 */
export const ValidationErrorSchema = Type.Object(
  {
    loc: Type.Array(Type.Union([Type.String(), Type.Integer()]), { title: 'Location' }),
    msg: Type.String({ title: 'Message' }),
    type: Type.String({ title: 'Error Type' }),
    input: Type.Optional(Type.Unknown({ title: 'Input' })),
    ctx: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { title: 'Context' })),
  },
  { $id: 'ValidationError', title: 'ValidationError' },
);

export const HTTPValidationErrorSchema = Type.Object(
  { detail: Type.Optional(Type.Array(Type.Ref(ValidationErrorSchema), { title: 'Detail' })) },
  { $id: 'HTTPValidationError', title: 'HTTPValidationError' },
);

export const errorSchemas = [ErrorResponseSchema, ValidationErrorSchema, HTTPValidationErrorSchema];

/** Response entries shared by every route: the envelope for a status, with Diga's description. */
export const errorResponse = (description: string) => Type.Ref(ErrorResponseSchema, { description });
export const validationErrorResponse = Type.Ref(HTTPValidationErrorSchema, { description: 'Validation Error' });

/** The error answers every list endpoint documents, as Diga's reference words them. */
export const listErrorResponses = {
  401: errorResponse('Invalid Api Key'),
  403: errorResponse('Forbidden - Insufficient permissions'),
  422: errorResponse('Unprocessable entity - Invalid pagination'),
  500: errorResponse('Internal Server Error'),
};

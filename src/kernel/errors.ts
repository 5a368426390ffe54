/**
 * The one error type domain and HTTP code throw. The error handler renders it as Diga's
 * `ErrorResponseSchema`: `{"status":"error","error_code":…,"message":…}`.
 */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly errorCode: string;
  readonly headers: Record<string, string>;

  constructor(statusCode: number, errorCode: string, message: string, headers: Record<string, string> = {}) {
    // An ApiError is an answer to the client, not a fault: nothing reads its stack, and
    // capturing one is a large part of what an unknown id's 404 costs.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.errorCode = errorCode;
    this.headers = headers;
  }
}

/** Error codes and messages, taken from Diga's reference where it names them. */
export const errors = {
  invalidApiKey: () =>
    new ApiError(401, 'INVALID_API_KEY', 'Invalid or missing API key', { 'www-authenticate': 'Bearer' }),
  invalidRuntimeToken: () =>
    new ApiError(401, 'INVALID_RUNTIME_TOKEN', 'Invalid or missing runtime token', {
      'www-authenticate': 'Bearer',
    }),
  missingPermissions: (action: string) =>
    new ApiError(403, 'MISSING_PERMISSIONS', `Missing required permissions to ${action}`),
  badParameter: (message: string) => new ApiError(400, 'BAD_PARAMETER', message),
  /** A request Node or Fastify could not take as HTTP (the status says how), or a malformed URL. */
  badRequest: (status: number, message: string) => new ApiError(status, 'BAD_REQUEST', message),
  bodyTooComplex: (problem: string) => new ApiError(400, 'BODY_TOO_COMPLEX', problem),
  corsOriginNotAllowed: (origin: string) =>
    new ApiError(403, 'CORS_ORIGIN_NOT_ALLOWED', `Origin ${origin} is not allowed`),
  invalidPagination: (message: string) => new ApiError(422, 'INVALID_PAGINATION_PARAMETERS', message),
  routeNotFound: () => new ApiError(404, 'NOT_FOUND', 'Not Found'),
  methodNotAllowed: (allow: string) => new ApiError(405, 'METHOD_NOT_ALLOWED', 'Method Not Allowed', { allow }),
  payloadTooLarge: () => new ApiError(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large'),
  unsupportedMediaType: (type: string) =>
    new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `Unsupported media type: ${type}`),
  internal: () => new ApiError(500, 'INTERNAL_SERVER_ERROR', 'Error: Internal Server Error'),
  serviceUnavailable: (message: string) => new ApiError(503, 'SERVICE_UNAVAILABLE', message, { 'retry-after': '1' }),
} as const;

/**
 * A FastAPI/pydantic v2 validation issue, as found in `HTTPValidationError.detail`.
 * `loc` starts with where the value came from: "path", "query", "header" or "body".
 */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** Thrown for a request that fails validation; rendered as a 422 `HTTPValidationError`. */
export class RequestValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super('Request validation failed');
    this.name = 'RequestValidationError';
  }
}

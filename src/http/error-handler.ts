import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errors, RequestValidationError, type ValidationIssue } from '../kernel/errors.js';
import { unavailableStoreError } from '../domain/store-unavailable.js';
import { issuesFromAjv } from './validation.js';

/** Longest echo of a client's input in a 422; what is longer is cut, so the body stays small. */
const MAX_ECHOED_INPUT = 1024;

/**
 * The one place errors become responses: ApiError → Diga's envelope; validation failures →
 * FastAPI's 422 HTTPValidationError; Fastify's own client errors → the envelope with a fitting
 * status; a store that cannot answer → 503 with Retry-After; anything else → a generic 500,
 * logged with the request id and never echoed.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError) return sendApiError(reply, error);
    if (error instanceof RequestValidationError) return sendValidation(reply, error.issues);
    if (error.validation)
      return sendValidation(reply, issuesFromAjv(error.validation as never, error.validationContext));

    const clientError = fromFastifyError(error);
    if (clientError instanceof ApiError) return sendApiError(reply, clientError);
    if (clientError) return sendValidation(reply, clientError);

    const unavailable = unavailableStoreError(error);
    if (unavailable !== undefined) {
      request.log.warn({ err: error }, 'store unavailable');
      return sendApiError(reply, unavailable);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendApiError(reply, errors.internal());
  });
}

export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.statusCode).headers(error.headers).type('application/json').send(errorBody(error));
}

/** Diga's error envelope, in its key order. */
export function errorBody(error: ApiError): { status: 'error'; error_code: string; message: string } {
  return { status: 'error', error_code: error.errorCode, message: error.message };
}

/** A 422 serialized here, so the keys keep pydantic's order: type, loc, msg, input, ctx. */
function sendValidation(reply: FastifyReply, issues: ValidationIssue[]): FastifyReply {
  const detail = issues.map((issue) => ({
    type: issue.type,
    loc: issue.loc,
    msg: issue.msg,
    input: boundedInput(issue.input),
    ...(issue.ctx === undefined ? {} : { ctx: issue.ctx }),
  }));
  return reply.code(422).type('application/json').send(JSON.stringify({ detail }));
}

function boundedInput(input: unknown): unknown {
  if (typeof input === 'string' && input.length > MAX_ECHOED_INPUT) return `${input.slice(0, MAX_ECHOED_INPUT)}…`;
  if (input !== null && typeof input === 'object' && JSON.stringify(input).length > MAX_ECHOED_INPUT) {
    return Array.isArray(input) ? '[…]' : '{…}';
  }
  return input === undefined ? null : input;
}

/** Fastify's own errors about a request body, in the shapes FastAPI clients know. */
function fromFastifyError(error: FastifyError): ApiError | ValidationIssue[] | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.payloadTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType(error.message.replace(/^Unsupported Media Type:?\s*/i, ''));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }];
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return jsonInvalid(error.message);
    default:
      break;
  }
  if (error instanceof SyntaxError || error.name === 'SyntaxError') return jsonInvalid(error.message);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return errors.badRequest(status, clientErrorMessage(status));
  return undefined;
}

function jsonInvalid(message: string): ValidationIssue[] {
  const position = /position (\d+)/.exec(message)?.[1];
  return [
    {
      type: 'json_invalid',
      loc: ['body', position === undefined ? 0 : Number(position)],
      msg: 'JSON decode error',
      input: {},
      ctx: { error: 'Expecting value' },
    },
  ];
}

function clientErrorMessage(status: number): string {
  return status === 414 ? 'URI Too Long' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
}

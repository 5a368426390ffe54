import type { FastifyInstance } from 'fastify';
import { errors } from '../kernel/errors.js';
import { sendApiError } from './error-handler.js';

const ALLOW_METHODS = 'GET, POST, PATCH, DELETE';
const ALLOW_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id';
const EXPOSE_HEADERS = 'X-Request-Id, Retry-After, RateLimit, RateLimit-Policy, Content-Range';

/**
 * CORS, closed unless origins are listed (DIGA_CORS_ORIGINS): the API is called with bearer keys
 * from servers, and a key in a browser is a key anyone can read. A listed origin gets the CORS
 * headers on every response and its preflights answered; any other preflight is a 403 naming
 * the origin, and its other requests carry no CORS headers, so browsers refuse their answers.
 * No credentials mode: keys travel in Authorization, never in cookies.
 */
export function registerCors(app: FastifyInstance, allowedOrigins: ReadonlySet<string>): void {
  const allowed = (origin: string | undefined): origin is string =>
    origin !== undefined && (allowedOrigins.has(origin) || allowedOrigins.has('*'));

  // Closed (the default), no response carries CORS headers, so requests need no hook at all.
  if (allowedOrigins.size > 0) {
    app.addHook('onRequest', (request, reply, done) => {
      const origin = request.headers.origin;
      if (allowed(origin)) {
        reply.headers({ 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSE_HEADERS });
      }
      if (origin !== undefined) reply.header('vary', 'Origin');
      done();
    });
  }

  // Preflights for any path; an OPTIONS that is not a preflight is answered like any unknown method.
  app.options('*', { schema: { hide: true } }, async (request, reply) => {
    const origin = request.headers.origin;
    if (request.headers['access-control-request-method'] === undefined) {
      return reply.callNotFound();
    }
    if (!allowed(origin)) {
      return sendApiError(reply, errors.corsOriginNotAllowed(String(origin ?? 'null')));
    }
    return reply
      .code(204)
      .headers({
        'access-control-allow-methods': ALLOW_METHODS,
        'access-control-allow-headers': ALLOW_HEADERS,
        'access-control-max-age': '600',
      })
      .send();
  });
}

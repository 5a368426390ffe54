import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { looksLikeCredential } from '../kernel/credential-shapes.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A request's id: the client's X-Request-Id when it is a plain token, else a new UUID. The id is
 * echoed in X-Request-Id and written on every log line of the request, so one shaped like a
 * credential (a key sent in the wrong header) is replaced too.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) && !looksLikeCredential(given) ? given : randomUUID();
}

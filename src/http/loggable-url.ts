import type { FastifyRequest } from 'fastify';
import { isSensitiveName, looksLikeCredential, REDACTED } from '../kernel/credential-shapes.js';

/**
 * A request URL fit for the access log: every path segment, query name or query value that is
 * shaped like a credential once decoded (a key pasted into a URL, under any name, in any
 * encoding), and every value of a parameter whose name says it is secret (`signature`,
 * `authorization`, `api_key`, …, however spelled or encoded), is replaced by `[redacted]`, so
 * the log never holds anything that grants access.
 */
export function loggableUrl(url: string): string {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const redactedPath = path
    .split('/')
    .map((segment) => (looksLikeCredential(segment) ? REDACTED : segment))
    .join('/');
  return mark === -1 ? redactedPath : `${redactedPath}?${loggableQuery(url.slice(mark + 1))}`;
}

/**
 * A query string with its secrets replaced. Split on `;` as well as `&`: some parsers read `;`
 * as a separator, and redacting too much is the safe side.
 */
export function loggableQuery(query: string): string {
  return query.replace(/[^&;]+/g, (pair) => {
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? undefined : pair.slice(equals + 1);
    if (looksLikeCredential(name)) return value === undefined ? REDACTED : `${REDACTED}=${REDACTED}`;
    if (value === undefined || value === '') return pair;
    return isSensitiveName(name) || looksLikeCredential(value) ? `${name}=${REDACTED}` : pair;
  });
}

/**
 * The logger's `req` serializer: Fastify's, with the URL redacted as above. This app writes its
 * own access-log line and turns Fastify's request logging off, so it is a second guard.
 */
export function loggableRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: loggableUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

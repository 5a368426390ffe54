import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { cachedApiKey } from '../domain/credentials.js';
import { allows } from '../domain/permissions.js';
import { errors } from '../errors.js';
import { findCallViewOnReader } from '../store/calls-repo.js';
import { bearerToken } from './auth.js';
import { errorBody } from './error-handler.js';
import { requestIdOf } from './request-id.js';
import type { RouteDeps } from './route-deps.js';

/** Answers a request, or returns false having written nothing, so Fastify serves it. */
export type FastPath = (request: IncomingMessage, response: ServerResponse) => boolean;

const PREFIX = '/v1/call/';
const CANONICAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * GET /v1/call/{id}'s common case, answered straight from node:http: Fastify's routing, hooks,
 * validation and reply cost about a seventh of the CPU time of the one request customers send
 * most (docs/BENCHMARKS.md). It answers only when it is sure to answer as the route does (the
 * route, get.ts, stays the definition): a canonical id, a key already verified (the credential
 * cache) with the permission, a rate limit decided in memory, a SQLite read connection, no
 * Origin header (CORS), the server not draining, and a stored view with no recording this
 * service signs URLs for. An unknown id is a 404 here too, so probing stays as cheap. Anything
 * else, including a read that throws, goes to Fastify untouched. test/call-fast-path.test.ts
 * sends the same requests with and without it and compares the bytes and the log lines.
 */
export function callFastPath(
  deps: Pick<RouteDeps, 'db' | 'credentialCache' | 'rateLimits'>,
  log: FastifyBaseLogger,
  headers: Readonly<Record<string, string>>,
  closing: () => boolean,
): FastPath {
  const { db, credentialCache, rateLimits } = deps;
  return (request, response) => {
    const started = performance.now();
    const url = request.url as string;
    if (request.method !== 'GET' || url.length !== PREFIX.length + 36 || !url.startsWith(PREFIX)) return false;
    const callId = url.slice(PREFIX.length);
    if (!CANONICAL_ID.test(callId) || request.headers.origin !== undefined || closing()) return false;
    const token = bearerToken(request);
    const principal = token === undefined ? undefined : cachedApiKey(token, credentialCache);
    if (principal === undefined || !allows(principal, 'calls.view')) return false;

    let read;
    try {
      read = findCallViewOnReader(db, principal.projectId, callId);
    } catch {
      return false;
    }
    const row = read?.row;
    if (read === undefined || (row !== undefined && (row.view === null || row.stored_recording !== null))) return false;
    const rateHeaders = rateLimits.chargeApiKeyNow(principal.keyId);
    if (rateHeaders === undefined) return false;

    // The headers in the order the route's hooks set them (response-headers.ts, auth.ts).
    const reqId = requestIdOf(request);
    response.setHeader('x-request-id', reqId);
    for (const name in headers) response.setHeader(name, headers[name] as string);
    response.setHeader('cache-control', 'no-store');
    for (const [name, value] of rateHeaders) response.setHeader(name, value);
    const body = row?.view ?? JSON.stringify(errorBody(errors.callNotFound(callId)));
    const statusCode = row === undefined ? 404 : 200;
    response.writeHead(statusCode, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
    response.end(body);
    const ms = Math.round((performance.now() - started) * 10) / 10;
    // The URL is a path and an id: nothing in it for loggableUrl to redact.
    log.info({ reqId, method: 'GET', url, statusCode, ms }, 'request');
    return true;
  };
}

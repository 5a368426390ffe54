import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { cachedApiKey } from '../domain/api-keys/credentials.js';
import { allows } from '../domain/api-keys/permissions.js';
import { getCallView, getCallViewNow, type CallReader, type RecordingUrlOf } from '../domain/calls/get-call.js';
import { ApiError } from '../kernel/errors.js';
import { accessLog } from './access-log.js';
import { bearerToken } from './auth.js';
import { errorBody } from './error-handler.js';
import { recordingUrlsAt } from './recording-urls.js';
import { requestIdOf } from './request-id.js';
import type { RouteDeps } from './route-deps.js';
import { JSON_CONTENT_TYPE } from './serialize.js';
import { callErrors } from '../domain/calls/errors.js';

/** Answers a request, or hands it, untouched, to `fastify` (Fastify's request handler). */
export type FastPath = (request: IncomingMessage, response: ServerResponse, fastify: RequestListener) => void;

const PREFIX = '/v1/call/';
const CANONICAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Thrown by the signer of a server that cannot sign here, to hand the request to the route. */
const SIGNED_BY_THE_ROUTE = new Error('a recording URL only the route can sign');
const leaveToTheRoute: RecordingUrlOf = () => {
  throw SIGNED_BY_THE_ROUTE;
};

/**
 * GET /v1/call/{id}'s common case, answered straight from node:http: Fastify's routing, hooks,
 * validation and reply are a measurable share of the CPU time of the one request customers send
 * most (docs/BENCHMARKS.md, "The GET fast path"). The answer is the route's domain verb's (getCallView, or its
 * synchronous form where the store answers at once); what Fastify's hooks would add around it
 * is added here, from the same pieces. It answers only when it is sure to answer as the route
 * does (the route, get.ts, stays the definition): a canonical id, a key already verified (the
 * credential cache) with the permission, no Origin header (CORS), the server not draining, and
 * a rate limit decided without the store (in memory, or this process's lease on PostgreSQL). A
 * key without recordings.view sees recording_url null, as on the route; for the others a
 * recording stored here gets its signed URL as the route signs it, except behind a trusted proxy
 * without DIGA_PUBLIC_URL (the client's host is then Fastify's to work out). An unknown id is a
 * 404 here too, so probing stays as cheap. Anything else, a read that fails included, goes to
 * Fastify untouched. test/http/calls/fast-path.test.ts sends the same requests with and without
 * it and compares the bytes and the log lines.
 */
export function callFastPath(
  deps: Pick<RouteDeps, 'db' | 'clock' | 'credentialCache' | 'rateLimits' | 'recordings'>,
  options: {
    log: FastifyBaseLogger;
    headers: Readonly<Record<string, string>>;
    closing: () => boolean;
    /** Fastify's trustProxy is on: the client's scheme and host may come from X-Forwarded-*. */
    behindProxy: boolean;
  },
): FastPath {
  const { db, clock, credentialCache, rateLimits } = deps;
  const { log, headers, closing } = options;
  const logAccess = accessLog(log);
  // This server speaks plain HTTP; only a proxy could make a request's scheme https.
  const signsHere = deps.recordings.publicUrl !== undefined || !options.behindProxy;
  // The headers that are the same on every answer, in the order the route's hooks set them
  // (response-headers.ts, auth.ts), between the request id and the rate-limit headers.
  const fixedHeaders = [...Object.entries(headers).flat(), 'cache-control', 'no-store'];

  /**
   * Sends `found`, the call's JSON or the route's error (CALL_NOT_FOUND); false, with nothing
   * sent or charged, when the rate limit needs the store.
   */
  function answer(
    request: IncomingMessage,
    response: ServerResponse,
    started: number,
    { keyId, projectId }: { keyId: string; projectId: string },
    found: string | ApiError,
  ): boolean {
    // Charged once the answer is certain, so a request handed to Fastify is charged once.
    const rateHeaders = rateLimits.chargeApiKeyNow(keyId, projectId);
    if (rateHeaders === undefined) return false;
    const reqId = requestIdOf(request);
    const ok = typeof found === 'string';
    const body = ok ? found : JSON.stringify(errorBody(found));
    const statusCode = ok ? 200 : found.statusCode;
    // The headers in the route's order, in one flat list: one validation pass, where setHeader
    // per header cost a few percent of a GET.
    const flat: (string | number)[] = ['x-request-id', reqId, ...fixedHeaders];
    for (const [name, value] of rateHeaders) flat.push(name, value);
    flat.push('content-type', JSON_CONTENT_TYPE, 'content-length', Buffer.byteLength(body));
    response.writeHead(statusCode, flat);
    response.end(body);
    // The URL is a path and a canonical id: nothing to redact (loggableUrl) or to escape.
    logAccess(reqId, request.url as string, statusCode, Math.round((performance.now() - started) * 10) / 10);
    return true;
  }

  return (request, response, fastify) => {
    const started = performance.now();
    const url = request.url as string;
    const callId = url.slice(PREFIX.length);
    const eligible =
      request.method === 'GET' &&
      url.length === PREFIX.length + 36 &&
      url.startsWith(PREFIX) &&
      CANONICAL_ID.test(callId) &&
      request.headers.origin === undefined &&
      !closing();
    const token = eligible ? bearerToken(request) : undefined;
    const principal = token === undefined ? undefined : cachedApiKey(db, token, credentialCache, clock());
    if (principal === undefined || !allows(principal, 'calls.view')) return fastify(request, response);
    const { projectId } = principal;
    // The route's reader (callReaderFor): the key's grant decides whether recording_url shows;
    // the signer is called only for a call whose recording is stored here, as the route signs.
    const reader: CallReader = {
      grant: principal,
      recordingUrlOf: signsHere
        ? (id) => recordingUrlsAt(deps, 'http', request.headers.host ?? '')(id)
        : leaveToTheRoute,
    };
    // On a SQLite file the read connection answers at once, so there is no promise to wait for
    // (and to pay for on every request). PostgreSQL's answer comes later.
    let view: string | null | undefined;
    try {
      view = getCallViewNow(db, projectId, callId, reader);
    } catch {
      return fastify(request, response);
    }
    if (view === undefined) {
      const settle = (found: string | ApiError) => {
        if (!answer(request, response, started, principal, found)) fastify(request, response);
      };
      getCallView(db, projectId, callId, reader)
        .then(settle, (error: unknown) =>
          error instanceof ApiError && error.statusCode === 404 ? settle(error) : fastify(request, response),
        )
        .catch(unexpected(response));
      return;
    }
    try {
      if (!answer(request, response, started, principal, view ?? callErrors.notFound(callId)))
        fastify(request, response);
    } catch (error) {
      unexpected(response)(error);
    }
  };

  function unexpected(response: ServerResponse) {
    return (error: unknown) => {
      // Not reached by any known input; the route's error handler would have logged the same.
      log.error({ err: error }, 'unhandled error');
      response.destroy();
    };
  }
}

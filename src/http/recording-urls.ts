import type { FastifyRequest } from 'fastify';
import type { RecordingUrlOf } from '../domain/calls/get-call.js';
import type { RouteDeps } from './route-deps.js';

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Signed recording URLs for this request's answers. Without DIGA_PUBLIC_URL they point at the
 * host the client used (a host header that is not a plain host[:port] is ignored); behind a
 * proxy or TLS terminator, set DIGA_PUBLIC_URL.
 */
export function recordingUrlsFor(deps: RouteDeps, request: FastifyRequest): RecordingUrlOf {
  const { links, publicUrl } = deps.recordings;
  const host = HOST.test(request.host) ? request.host : 'localhost';
  const base = publicUrl ?? `${request.protocol}://${host}`;
  return (callId) => links.urlFor(base, callId);
}

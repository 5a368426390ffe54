import type { FastifyRequest } from 'fastify';
import type { CallReader, RecordingUrlOf } from '../domain/calls/get-call.js';
import { principalOf } from './auth.js';
import type { RouteDeps } from './route-deps.js';

const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Signed recording URLs for this request's answers. Without DIGA_PUBLIC_URL they point at the
 * host the client used (a host header that is not a plain host[:port] is ignored); behind a
 * proxy or TLS terminator, set DIGA_PUBLIC_URL.
 */
export function recordingUrlsFor(deps: Pick<RouteDeps, 'recordings'>, request: FastifyRequest): RecordingUrlOf {
  return recordingUrlsAt(deps, request.protocol, request.host);
}

/** The same, given the scheme and host the client used (Fastify's request.protocol and .host). */
export function recordingUrlsAt(
  deps: Pick<RouteDeps, 'recordings'>,
  protocol: string,
  clientHost: string,
): RecordingUrlOf {
  const { links, publicUrl } = deps.recordings;
  const host = HOST.test(clientHost) ? clientHost : 'localhost';
  const base = publicUrl ?? `${protocol}://${host}`;
  return (callId) => links.urlFor(base, callId);
}

/**
 * The reader of this request's call bodies: its key's grant (which decides whether
 * recording_url shows) and its signer. Every route that answers with a call body serves it
 * through one of these, so a permission that guards a field holds on every route that shows it.
 */
export function callReaderFor(deps: Pick<RouteDeps, 'recordings'>, request: FastifyRequest): CallReader {
  return { grant: principalOf(request), recordingUrlOf: recordingUrlsFor(deps, request) };
}

import type { IncomingMessage } from 'node:http';
import { Transform, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../kernel/errors.js';

export interface BodyDeadline {
  /** Time every body is given, in milliseconds. */
  timeoutMs: number;
  /** ... plus a second for each this many bytes of it. */
  minBytesPerSecond: number;
}

export const DEFAULT_BODY_DEADLINE: BodyDeadline = { timeoutMs: 10_000, minBytesPerSecond: 256 * 1024 };

const tooSlow = () =>
  new ApiError(408, 'REQUEST_TIMEOUT', 'The request body was not received in time', { connection: 'close' });

/**
 * A request body must arrive within `timeoutMs` plus a second per `minBytesPerSecond` of its
 * declared length (a body sent in chunks, without a length: of what has arrived so far), else
 * 408 REQUEST_TIMEOUT and the connection is closed. Node's request timeout alone would let a
 * client with a valid key hold a connection and a request's memory for minutes by trickling a
 * small body. preParsing runs after the routes' credential checks, so only requests that passed
 * them get this far; a body already whole when they are done (the common case) costs nothing.
 * Timed from the end of those checks, which is where the time spent waiting on the body begins.
 */
export function registerBodyDeadline(app: FastifyInstance, deadline: BodyDeadline = DEFAULT_BODY_DEADLINE): void {
  app.addHook('preParsing', (request, reply, payload, done) => {
    const raw = request.raw;
    if (raw.complete || !hasBody(raw)) return done(null, payload);
    const through = bounded(raw, payload, declaredLength(raw), deadline);
    // Answered without reading it all (a 413 on the declared length, say): nothing waits on it.
    reply.raw.once('close', () => through.destroy());
    done(null, through);
  });
}

function hasBody(raw: IncomingMessage): boolean {
  return raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length']) > 0;
}

function declaredLength(raw: IncomingMessage): number | undefined {
  const length = Number(raw.headers['content-length']);
  return raw.headers['transfer-encoding'] === undefined && Number.isFinite(length) ? length : undefined;
}

/**
 * `payload`, passed through a stream that fails with the 408 once the deadline passes. The 408
 * is sent on the open connection (the request stream itself is left alone: destroying it would
 * close the socket before the answer could be written), which then closes.
 */
function bounded(
  raw: IncomingMessage,
  payload: Readable,
  declared: number | undefined,
  deadline: BodyDeadline,
): Readable {
  const started = performance.now();
  let received = 0;
  const allowedMs = () => deadline.timeoutMs + ((declared ?? received) / deadline.minBytesPerSecond) * 1000;
  const through = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      received += chunk.length;
      next(null, chunk);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = allowedMs() - (performance.now() - started);
    if (left > 0) timer = setTimeout(check, left);
    else through.destroy(tooSlow());
  };
  timer = setTimeout(check, allowedMs());
  const stop = () => clearTimeout(timer);
  payload.once('end', stop);
  // A client that goes away mid-body: its reader hears of it as it would without this stream.
  payload.once('error', (error) => through.destroy(error));
  payload.once('close', () => {
    stop();
    if (!raw.complete) through.destroy(new Error('the client closed the request before its body ended'));
  });
  // Its reader listens for its errors; one that arrives when no reader is left must not be fatal.
  through.on('error', () => {});
  through.once('close', () => {
    stop();
    payload.unpipe(through);
  });
  payload.pipe(through);
  return through;
}

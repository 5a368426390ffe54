import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';

/**
 * Writes the access-log line of a GET the fast path answered: the line the route's onResponse
 * hook writes (app.ts). `reqId` and `url` must need no JSON escaping, as the fast path's do (a
 * plain-token or new request id, a canonical call URL).
 */
export type AccessLog = (reqId: string, url: string, statusCode: number, ms: number) => void;

const { asJsonSym, chindingsSym, hooksSym, mixinSym, needsMetadataGsym, streamSym, timeSym } = pino.symbols;
// Exported by pino since 8.14 (child loggers' msgPrefix), not yet in its type declarations.
const { msgPrefixSym } = pino.symbols as unknown as { msgPrefixSym?: symbol };

/** A pino logger's internals, under the symbols pino exports for such uses. */
interface PinoParts {
  asJson?: (obj: object, msg: string, level: number, time: string) => string;
  bindings: () => string;
  hooks?: { logMethod?: unknown; streamWrite?: unknown };
  mixin?: unknown;
  msgPrefix?: unknown;
  stream?: { write(line: string): unknown; [needsMetadataGsym]?: boolean };
  time: () => string;
}

function partsOf(log: object): PinoParts {
  const at = log as Record<symbol, unknown>;
  return {
    asJson: at[asJsonSym] as PinoParts['asJson'],
    bindings: () => at[chindingsSym] as string,
    hooks: at[hooksSym] as PinoParts['hooks'],
    mixin: at[mixinSym],
    msgPrefix: msgPrefixSym === undefined ? undefined : at[msgPrefixSym],
    stream: at[streamSym] as PinoParts['stream'],
    time: at[timeSym] as () => string,
  };
}

/**
 * The fast path's access log: the same bytes pino writes for `log.info({ reqId, method, url,
 * statusCode, ms }, 'request')`, from a template: pino's own rendering walks the object's keys
 * on every line, several times the template's cost on the request customers send most
 * (docs/BENCHMARKS.md, "The access-log line from a template"). Pino renders a sample line once, here:
 * the template is used only if it gives the same bytes and the logger has nothing that acts on a
 * line before it is written (a mixin, hooks, a message prefix, a multistream). Otherwise every
 * line goes through the logger.
 */
export function accessLog(log: FastifyBaseLogger): AccessLog {
  const throughLogger: AccessLog = (reqId, url, statusCode, ms) =>
    log.info({ reqId, method: 'GET', url, statusCode, ms }, 'request');
  const logger = log as pino.Logger;
  const { asJson, bindings, hooks, mixin, msgPrefix, stream, time } = partsOf(log);
  const level = logger.levels?.values.info;
  if (
    stream === undefined ||
    asJson === undefined ||
    level === undefined ||
    mixin ||
    msgPrefix !== undefined ||
    hooks?.logMethod ||
    hooks?.streamWrite ||
    stream[needsMetadataGsym] === true
  ) {
    return throughLogger;
  }
  const line = (at: string, reqId: string, url: string, statusCode: number, ms: number) =>
    `{"level":${level}${at}${bindings()},"reqId":"${reqId}","method":"GET","url":"${url}","statusCode":${statusCode},"ms":${ms},"msg":"request"}\n`;
  const sample = { reqId: 'sample-id', method: 'GET', url: '/v1/call/sample', statusCode: 404, ms: 0.7 };
  const sampleTime = ',"time":0';
  if (asJson.call(log, sample, 'request', level, sampleTime) !== line(sampleTime, sample.reqId, sample.url, 404, 0.7)) {
    return throughLogger;
  }
  return (reqId, url, statusCode, ms) => {
    if (logger.isLevelEnabled('info')) stream.write(line(time.call(log), reqId, url, statusCode, ms));
  };
}

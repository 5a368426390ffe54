import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import Fastify from 'fastify';
import pino from 'pino';
import { accessLog } from '../../src/http/access-log.js';
import { CapturedLog } from '../helpers/captured-log.js';

/** A pino logger writing to memory, and what it wrote, with each line's time taken out. */
function memoryLogger(options: pino.LoggerOptions = {}) {
  const log = new CapturedLog();
  const logger = pino({ level: 'info', ...options }, log.stream);
  const written = () => log.raw.map((line) => line.replace(/,"time":\d+/, ''));
  return { logger, written, clear: () => log.clear() };
}

const ID = '0b7c2a1e-3f4d-4e5a-8b9c-0d1e2f3a4b5c';
const URL_PATH = `/v1/call/${ID}`;

/** The line the route's hook writes for the same answer (app.ts), through pino itself. */
function pinoLine(log: pino.Logger, statusCode: number, ms: number): void {
  log.info({ reqId: 'req-1', method: 'GET', url: URL_PATH, statusCode, ms }, 'request');
}

describe("the fast path's access log line", () => {
  test("is pino's line, byte for byte, written without pino's info", () => {
    const { logger, written, clear } = memoryLogger({
      // As the server configures it (server.ts): redaction compiles stringifiers of its own.
      redact: { paths: ['req.headers.authorization'], censor: '[redacted]' },
    });
    const log = accessLog(logger as FastifyBaseLogger);
    for (const [statusCode, ms] of [
      [200, 0.4],
      [404, 12],
      [200, 1234.5],
    ] as const) {
      pinoLine(logger, statusCode, ms);
      const expected = written();
      clear();
      const info = logger.info;
      let infoCalls = 0;
      logger.info = ((...args: Parameters<typeof info>) => {
        infoCalls += 1;
        info.apply(logger, args);
      }) as typeof info;
      log('req-1', URL_PATH, statusCode, ms);
      logger.info = info;
      assert.deepEqual(written(), expected);
      assert.equal(infoCalls, 0, 'the template, not pino, wrote the line');
      clear();
    }
  });

  test("follows the logger's level as it changes", () => {
    const { logger, written } = memoryLogger({ level: 'warn' });
    const log = accessLog(logger as FastifyBaseLogger);
    log('req-1', URL_PATH, 200, 1);
    assert.deepEqual(written(), []);
    logger.level = 'info';
    log('req-2', URL_PATH, 200, 1);
    assert.equal(written().length, 1);
    assert.match(written()[0] as string, /"reqId":"req-2"/);
  });

  test("goes through pino when the logger's options change the line", () => {
    const options: Record<string, pino.LoggerOptions> = {
      'a level formatter': { formatters: { level: (label) => ({ level: label }) } },
      'another message key': { messageKey: 'message' },
      'a mixin': { mixin: () => ({ service: 'diga-api' }) },
      'a logMethod hook': {
        hooks: {
          logMethod(args, method) {
            method.apply(this, [args[0], `hooked ${String(args[1])}`] as Parameters<typeof method>);
          },
        },
      },
      'a base of its own': { base: { env: 'test' } },
    };
    for (const [name, option] of Object.entries(options)) {
      const { logger, written, clear } = memoryLogger(option);
      pinoLine(logger, 200, 2.5);
      const expected = written();
      clear();
      accessLog(logger as FastifyBaseLogger)('req-1', URL_PATH, 200, 2.5);
      assert.deepEqual(written(), expected, name);
    }
    const parent = memoryLogger();
    const child = parent.logger.child({ component: 'http' }, { msgPrefix: '[http] ' });
    pinoLine(child, 200, 2.5);
    const expected = parent.written();
    parent.clear();
    accessLog(child as FastifyBaseLogger)('req-1', URL_PATH, 200, 2.5);
    assert.deepEqual(parent.written(), expected, 'a child with bindings and a message prefix');
    assert.match(expected[0] as string, /"component":"http".*"msg":"\[http\] request"/);
  });

  test("is a no-op that does not fail under Fastify's `logger: false`", () => {
    const app = Fastify({ logger: false });
    assert.doesNotThrow(() => accessLog(app.log)('req-1', URL_PATH, 200, 1));
  });
});

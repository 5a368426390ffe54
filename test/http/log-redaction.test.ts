import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { buildApp } from '../../src/app.js';
import { buildTestApp, postEvents, type TestApp, uploadRecording } from '../helpers/app.js';
import { describeEachBackend } from '../helpers/backends.js';
import { CapturedLog } from '../helpers/captured-log.js';
import { callEvents } from '../helpers/events.js';

/** What a client sees of one answer over a socket. */
interface Seen {
  status: number;
  requestId: string | undefined;
}

function send(port: number, path: string, headers: Record<string, string>): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'GET', path, headers }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode as number, requestId: res.headers['x-request-id'] as string | undefined }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A log line as someone reading it could decode it: percent-decoded until nothing changes (each
 * round tolerant of malformed sequences), `+` read as a space, in lower case.
 */
function decodedForReading(line: string): string {
  let current = line;
  for (let round = 0; round < 20; round++) {
    const next = current.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === current) break;
    current = next;
  }
  return current.replaceAll('+', ' ').toLowerCase();
}

/** Asserts that no 16 consecutive characters of `secret`'s random part are in the log, in any encoding. */
function assertNotLogged(log: CapturedLog, secret: string, context: string): void {
  const random = secret.replace(/^(?:sk-|rt-|whsec_)/, '').toLowerCase();
  const text = log.raw.map(decodedForReading).join('\n');
  for (let i = 0; i + 16 <= random.length; i++) {
    const window = random.slice(i, i + 16);
    assert.ok(!text.includes(window), `${context}: the log holds ${window}…\n${log.raw.join('\n')}`);
  }
}

/** Every character percent-encoded, hex digits in upper case. */
const encodedWhole = (value: string) =>
  [...value].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');

const newSecret = (prefix: string) => prefix + randomBytes(32).toString('hex');

describeEachBackend('secrets never reach the log', (backend) => {
  let t: TestApp;
  const log = new CapturedLog();
  let port: number;
  let callId: string;
  let reachedFastify = 0;

  before(async () => {
    t = await buildTestApp({ backend, sqliteFile: true, logger: log.logger });
    t.app.addHook('onRequest', (_request, _reply, done) => {
      reachedFastify++;
      done();
    });
    const call = callEvents(t.projectA);
    const response = await postEvents(t.app, t.runtimeToken, [call.created(0), call.ended(30, 'completed')]);
    assert.equal(response.statusCode, 200, response.body);
    callId = call.callId;
    await uploadRecording(t, callId, Buffer.alloc(256, 3));
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(() => t.close());

  const auth = () => ({ authorization: `Bearer ${t.keyA}` });

  test('a key in a query value, under any name and in any encoding, is redacted', async () => {
    const key = t.keyB;
    const hex = key.slice(3);
    const urls = [
      `/v1/call/?authorization=Bearer%20${key}`,
      `/v1/call/?authorization=Bearer+${key}`,
      `/v1/call/?k=sk%2D${hex}`,
      `/v1/call/?k=sk%252D${hex}`,
      `/v1/call/?k=${encodedWhole(key)}`,
      `/v1/call/?k=${encodeURIComponent(encodedWhole(key))}`,
      `/v1/call/?%61pi_key=${key}&limit=5`,
      `/v1/call/?limit=5;X-Api-Key=${encodeURIComponent(key)}`,
      `/v1/call/?filter=owner:${key},x`,
      `/v1/call/?${key}`,
      `/v1/call/?${encodeURIComponent(encodedWhole(key))}=1`,
      `/v1/call/?k=${Buffer.from(key).toString('base64url')}`,
      `/v1/call/?runtime=${encodeURIComponent(t.runtimeToken)}`,
    ];
    for (const url of urls) {
      log.clear();
      const seen = await send(port, url, auth());
      assert.ok(seen.status < 500, url);
      const line = log.records.find((record) => record.msg === 'request');
      assert.ok(line, `no access-log line for ${url}`);
      assert.match(String(line.url), /\[redacted\]/, url);
      assertNotLogged(log, key, url);
      assertNotLogged(log, t.runtimeToken, url);
    }
  });

  test('a key as a path segment is redacted; the rest of the URL stays readable', async () => {
    const key = t.keyB;
    for (const path of [
      `/v1/call/${key}`,
      `/v1/call/${encodedWhole(key)}`,
      `/v1/agent/${encodeURIComponent(encodedWhole(key))}/x`,
      `/v1/recording/${callId}/${key}`,
    ]) {
      log.clear();
      await send(port, path, auth());
      const line = log.records.find((record) => record.msg === 'request');
      assert.ok(line, path);
      assert.match(String(line.url), /^\/v1\/[a-z]+\/(?:[0-9a-f-]{36}\/)?\[redacted\]/, path);
      assertNotLogged(log, key, path);
    }
    log.clear();
    await send(port, `/v1/call/?limit=5&expand=contact`, auth());
    assert.equal(log.records.find((record) => record.msg === 'request')?.url, '/v1/call/?limit=5&expand=contact');
  });

  test('X-Request-Id shaped like a key is neither echoed nor logged, on the route and on the fast path', async () => {
    const fastUrl = `/v1/call/${callId}`;
    await send(port, fastUrl, auth()); // the first use of a key verifies it in the store: the route
    for (const [url, fast] of [
      [fastUrl, true],
      ['/v1/call/?limit=1', false],
    ] as const) {
      for (const given of [t.keyB, t.runtimeToken, `trace.${t.keyB.slice(3)}`, newSecret('whsec_')]) {
        log.clear();
        const before = reachedFastify;
        const seen = await send(port, url, { ...auth(), 'x-request-id': given });
        assert.equal(seen.status, 200, url);
        assert.equal(reachedFastify === before, fast, `${url}: answered by the fast path: ${fast}`);
        assert.match(seen.requestId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.equal(log.records.find((record) => record.msg === 'request')?.reqId, seen.requestId);
        assertNotLogged(log, given.replace(/^trace\./, ''), `${url} X-Request-Id`);
      }
      // A plain id, and a W3C traceparent, are still the client's to choose.
      for (const given of ['client-id.42', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']) {
        const seen = await send(port, url, { ...auth(), 'x-request-id': given });
        assert.equal(seen.requestId, given);
      }
    }
  });

  test("a signed recording URL's signature is redacted however its name is written", async () => {
    const response = await t.app.inject({ url: `/v1/recording/${callId}`, headers: auth() });
    const url = new URL(response.json().recording_url as string);
    const expires = url.searchParams.get('expires') as string;
    const signature = url.searchParams.get('signature') as string;
    const path = url.pathname;
    for (const [query, status] of [
      [`expires=${expires}&%73ignature=${signature}`, 200],
      [`expires=${expires}&%2573ignature=${signature}`, 403],
      [`expires=${expires}&SIGNATURE=${signature}&signature=${signature}`, 403],
      [`expires=${expires}&signature=${signature}&signature=${signature}`, 403],
    ] as const) {
      log.clear();
      assert.equal((await send(port, `${path}?${query}`, {})).status, status, query);
      assertNotLogged(log, signature, query);
    }
  });

  test('a property: random names and encodings of a key, anywhere in a request, never reach the log', async () => {
    const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
    const secret = fc.tuple(fc.constantFrom('sk-', 'rt-', 'whsec_'), hex64).map(([prefix, hex]) => prefix + hex);
    const name = fc.oneof(
      fc.constantFrom('authorization', 'k', 'q', 'api_key', 'X-Api-Key', 'token', 'Signature', 'expand', 'limit'),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,11}$/),
    );
    const encoding = fc.record({
      prefix: fc.constantFrom('', 'Bearer%20', 'Bearer+', 'bearer%20', 'token%3D', 'x:'),
      mask: fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
      upper: fc.boolean(),
      rounds: fc.integer({ min: 1, max: 4 }),
    });
    const place = fc.constantFrom('query value', 'query name', 'path segment', 'request id');
    const encode = (value: string, { mask, upper, rounds }: { mask: boolean[]; upper: boolean; rounds: number }) => {
      let encoded = [...value]
        .map((c, i) => (mask[i] ? `%${c.charCodeAt(0).toString(16)[upper ? 'toUpperCase' : 'toLowerCase']()}` : c))
        .join('');
      for (let round = 1; round < rounds; round++) encoded = encoded.replaceAll('%', '%25');
      return encoded;
    };
    await fc.assert(
      fc.asyncProperty(secret, name, encoding, place, async (value, paramName, how, where) => {
        const sent = how.prefix + encode(value, how);
        const headers: Record<string, string> = auth();
        let url = '/v1/call/?limit=1';
        if (where === 'query value') url = `/v1/call/?limit=1&${paramName}=${sent}`;
        if (where === 'query name') url = `/v1/call/?${sent}=${paramName}`;
        if (where === 'path segment') url = `/v1/call/${sent}`;
        if (where === 'request id') headers['x-request-id'] = value;
        log.clear();
        await send(port, url, headers);
        assertNotLogged(log, value, `${where} ${url}`);
      }),
      { numRuns: 150 },
    );
  });
});

test('an error, or a request, logged with a key in it has the key redacted', async () => {
  const log = new CapturedLog();
  const t = await buildTestApp({ logger: log.logger });
  // An app of its own: routes cannot be added to one that is ready.
  const app = await buildApp({ db: t.store.db, logger: log.logger, recordings: { blobs: t.blobs } });
  const key = t.keyB;
  app.get('/boom', async (request) => {
    // As Fastify's own request logging would log it, were it on.
    request.log.info({ req: request }, 'incoming request');
    throw Object.assign(new Error(`invalid input syntax for type uuid: "${key}" at /v1/x?token=hunter2-pw`), {
      detail: `Bearer ${t.runtimeToken}`,
      query: { parameters: [encodeURIComponent(key)] },
    });
  });
  try {
    const response = await app.inject({ url: `/boom?k=${key}` });
    assert.equal(response.statusCode, 500);
    const incoming = log.records.find((record) => record.msg === 'incoming request');
    assert.deepEqual((incoming?.req as { url: string }).url, '/boom?k=[redacted]');
    const line = log.records.find((record) => record.msg === 'unhandled error');
    assert.ok(line, 'the error was logged');
    const err = line.err as { message: string; detail: string; stack: string };
    assert.equal(err.message, 'invalid input syntax for type uuid: "[redacted]" at /v1/x?token=[redacted]');
    assert.equal(err.detail, 'Bearer [redacted]');
    assert.match(err.stack, /^Error: invalid input syntax for type uuid: "\[redacted\]"/);
    assertNotLogged(log, key, 'logged error');
    assertNotLogged(log, t.runtimeToken, 'logged error');
    assert.ok(!log.raw.join('\n').includes('hunter2'));
  } finally {
    await app.close();
    await t.close();
  }
});

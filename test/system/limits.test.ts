import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp, postEvents, type TestApp } from '../helpers/app.js';
import { pollUntil } from '../helpers/poll.js';
import { assertMatchesSeed } from '../helpers/contract.js';
import { callEvents } from '../helpers/events.js';
import { openSocket, parseResponse, rawRequest, type RawResponse } from '../helpers/raw-http.js';

interface ErrorBody {
  error_code: string;
  message: string;
}

const LIMITS = {
  headersTimeoutMs: 400,
  requestTimeoutMs: 2000,
  keepAliveTimeoutMs: 300,
  maxRequestsPerSocket: 3,
  maxHeaderBytes: 4096,
};

/** For tests that wait on the server's own timers: a bound on "never". */
const LONG = { timeout: 30_000 };

describe('limits on what a client may send, over a real socket', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await buildTestApp({ app: { http: LIMITS, bodyLimit: 64 * 1024 } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(() => t.close());

  const envelope = (response: RawResponse | 'closed', status: number, code: string) => {
    assert.notEqual(response, 'closed', 'the server answered before closing');
    const { status: got, body } = response as RawResponse;
    assert.equal(got, status, body);
    const parsed = JSON.parse(body);
    assertMatchesSeed('ErrorResponseSchema', parsed);
    assert.equal(parsed.error_code, code);
    return parsed;
  };

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.runtimeToken}`, 'content-type': 'application/json', ...headers },
      body,
    });

  test('a body over the limit is a 413 in the envelope, and nothing of it is applied', async () => {
    const e = callEvents(t.projectA);
    const padding = 'x'.repeat(70 * 1024);
    const created = e.created(0, { dynamic_variables: { padding } });
    const response = await post('/internal/v1/events', JSON.stringify({ events: [created] }));
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as ErrorBody).error_code, 'PAYLOAD_TOO_LARGE');
    const get = await t.app.inject({ url: `/v1/call/${e.callId}`, headers: { authorization: `Bearer ${t.keyA}` } });
    assert.equal(get.statusCode, 404);
  });

  test('headers over the limit are a 431 in the envelope', async () => {
    const response = await rawRequest(
      port,
      `GET /v1/call/ HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(8000)}\r\n\r\n`,
    );
    envelope(response, 431, 'HEADERS_TOO_LARGE');
  });

  test('a malformed request line is a 400 in the envelope', async () => {
    envelope(await rawRequest(port, 'GET\x00 /v1 HTTP/1.1\r\n\r\n'), 400, 'BAD_REQUEST');
    envelope(await rawRequest(port, 'NOT-HTTP\r\n\r\n'), 400, 'BAD_REQUEST');
  });

  test('JSON nested too deep or with too many items is a 400 BODY_TOO_COMPLEX', async () => {
    const deep = `{"events":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const tooDeep = await post('/internal/v1/events', deep);
    assert.equal(tooDeep.status, 400);
    const body = (await tooDeep.json()) as ErrorBody;
    assertMatchesSeed('ErrorResponseSchema', body);
    assert.equal(body.error_code, 'BODY_TOO_COMPLEX');
    assert.match(body.message, /deeper than 32 levels/);

    const wide = await post('/internal/v1/events', JSON.stringify({ events: new Array(10_001).fill(0) }));
    assert.equal(wide.status, 400);
    assert.match(((await wide.json()) as ErrorBody).message, /more than 10000 items/);

    // Within the limits, the same endpoint validates as usual.
    const fine = await post('/internal/v1/events', JSON.stringify({ events: [[[[1]]]] }));
    assert.equal(fine.status, 422);
  });

  // Each test below would go on for a long while if the server never cut the client off.
  test('a client that sends its headers too slowly is cut off, and others are served meanwhile', LONG, async () => {
    const slow = await openSocket(port);
    const received: Buffer[] = [];
    slow.on('data', (chunk) => received.push(chunk));
    const closed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    let stillWriting = true;
    let sentAll = false;
    void (async () => {
      for (const byte of 'GET /v1/call/ HTTP/1.1\r\nHost: x\r\nX-Slow: ') {
        if (!stillWriting || slow.destroyed) return;
        slow.write(byte);
        await sleep(100); // the slow client
      }
      sentAll = true;
    })();
    const other = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(other.status, 200);
    await closed;
    stillWriting = false;
    // headersTimeout is 400 ms; sending every byte takes 4.5 s.
    assert.equal(sentAll, false, 'cut off before the headers were all sent');
    envelope(parseResponse(Buffer.concat(received)) ?? 'closed', 408, 'REQUEST_TIMEOUT');
  });

  test('a client that sends its body too slowly is cut off once the request timeout passes', LONG, async () => {
    const slow = await openSocket(port);
    const received: Buffer[] = [];
    slow.on('data', (chunk) => received.push(chunk));
    const closed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    const start = '{"events":[';
    slow.write(
      `POST /internal/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.runtimeToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n${start}`,
    );
    let sent = start.length;
    const trickle = setInterval(() => slow.destroyed || (slow.write(' '), (sent += 1)), 100);
    await closed;
    clearInterval(trickle);
    // requestTimeout is 2 s; at one byte per 100 ms the body takes 100 s.
    assert.ok(sent < 1000, `cut off before the body was all sent (${sent} of 1000 bytes)`);
    envelope(parseResponse(Buffer.concat(received)) ?? 'closed', 408, 'REQUEST_TIMEOUT');
  });

  test('keep-alive: a connection serves at most maxRequestsPerSocket requests, and idles out', LONG, async () => {
    const socket = await openSocket(port);
    let data = Buffer.alloc(0);
    socket.on('data', (chunk) => (data = Buffer.concat([data, chunk])));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const answers: RawResponse[] = [];
    for (let i = 0; i < 3; i += 1) {
      data = Buffer.alloc(0);
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      answers.push(
        await pollUntil(
          'the answer arrived',
          () => parseResponse(data),
          (r) => r !== undefined,
          { everyMs: 10 },
        ),
      );
    }
    assert.deepEqual(
      answers.map((a) => [a.status, a.headers.connection]),
      [
        [200, 'keep-alive'],
        [200, 'keep-alive'],
        [200, 'close'],
      ],
    );
    await closed;

    const idle = await openSocket(port);
    const idleClosed = new Promise<void>((resolve) => idle.on('close', () => resolve()));
    idle.on('data', () => {});
    idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await idleClosed; // an idle keep-alive connection is closed
  });
});

describe('how long an authenticated body may take, over a real socket', () => {
  // Node's request timeout is far off: only the body deadline can end these.
  const deadline = { timeoutMs: 500, minBytesPerSecond: 1000 };
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await buildTestApp({ app: { http: { ...LIMITS, requestTimeoutMs: 120_000 }, bodyDeadline: deadline } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(() => t.close());

  /** Sends `head` and the first bytes of a body of `length`, then one byte every 100 ms until cut off. */
  async function trickle(head: string, length: number): Promise<{ response: RawResponse | 'closed'; sent: number }> {
    const slow = await openSocket(port);
    const received: Buffer[] = [];
    slow.on('data', (chunk) => received.push(chunk));
    slow.on('error', () => {});
    const closed = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    slow.write(`${head}Content-Length: ${length}\r\n\r\n{`);
    let sent = 1;
    const timer = setInterval(() => slow.destroyed || (slow.write(' '), (sent += 1)), 100);
    await closed;
    clearInterval(timer);
    return { response: parseResponse(Buffer.concat(received)) ?? 'closed', sent };
  }

  const assert408 = ({ response, sent }: { response: RawResponse | 'closed'; sent: number }, length: number) => {
    assert.ok(sent < length, `cut off before the body was all sent (${sent} of ${length} bytes)`);
    assert.notEqual(response, 'closed', 'the server answered before closing');
    const { status, headers, body } = response as RawResponse;
    assert.equal(status, 408, body);
    assert.equal(headers.connection, 'close');
    const parsed = JSON.parse(body);
    assertMatchesSeed('ErrorResponseSchema', parsed);
    assert.deepEqual(parsed, {
      status: 'error',
      error_code: 'REQUEST_TIMEOUT',
      message: 'The request body was not received in time',
    });
  };

  test(
    'a JSON body trickled with an API key gets 408 once its time (500 ms + 1 s per 1,000 bytes) is up',
    LONG,
    async () => {
      const head = `POST /v1/webhook/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.keyA}\r\nContent-Type: application/json\r\n`;
      // 1,000 bytes: 1.5 s; at one byte per 100 ms the body would take 100 s.
      assert408(await trickle(head, 1000), 1000);
    },
  );

  test('a recording upload trickled by the runtime gets the 408 too, and nothing is stored', LONG, async () => {
    const call = callEvents(t.projectA);
    assert.equal((await postEvents(t.app, t.runtimeToken, [call.created(0)])).statusCode, 200);
    const head =
      `POST /internal/v1/calls/${call.callId}/recording HTTP/1.1\r\nHost: x\r\n` +
      `Authorization: Bearer ${t.runtimeToken}\r\nContent-Type: audio/wav\r\n`;
    assert408(await trickle(head, 2000), 2000);
    const get = await t.app.inject({ url: `/v1/call/${call.callId}`, headers: { authorization: `Bearer ${t.keyA}` } });
    assert.equal(get.json().recording_url, null);
  });

  test('a body that keeps to the pace is read, however long it takes in all', LONG, async () => {
    const body = JSON.stringify({ events: [callEvents(t.projectA).created(0)] });
    const socket = await openSocket(port);
    let data = Buffer.alloc(0);
    socket.on('data', (chunk) => (data = Buffer.concat([data, chunk])));
    socket.write(
      `POST /internal/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.runtimeToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    // Half of it, then the rest well within 500 ms + 1 s per 1,000 bytes.
    socket.write(body.slice(0, 100));
    await sleep(300);
    socket.write(body.slice(100));
    const answer = await pollUntil(
      'the answer arrived',
      () => parseResponse(data),
      (r) => r !== undefined,
      { everyMs: 10 },
    );
    socket.destroy();
    assert.equal(answer.status, 200, answer.body);
  });
});

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, postEvents, type TestApp } from '../../helpers/app.js';
import { callEvents } from '../../helpers/events.js';
import { assertMatchesSeed } from '../../helpers/contract.js';
import { pollUntil } from '../../helpers/poll.js';
import { buildApp } from '../../../src/app.js';
import { queryCounter } from '../../helpers/query-counter.js';

/** A client of an SSE stream: each `data:` payload, parsed, as it arrives. */
interface EventStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  next(): Promise<{ active_calls: number }>;
  ended: Promise<void>;
  close(): void;
}

function openStream(url: string, key: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { authorization: `Bearer ${key}` } }, (response) => {
      const queue: { active_calls: number }[] = [];
      const waiting: ((value: { active_calls: number }) => void)[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (!data) continue;
          const event = JSON.parse(data.slice(6)) as { active_calls: number };
          const waiter = waiting.shift();
          if (waiter) waiter(event);
          else queue.push(event);
        }
      });
      const ended = new Promise<void>((done) => response.on('end', done));
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        next: () => {
          const queued = queue.shift();
          return queued ? Promise.resolve(queued) : new Promise((done) => waiting.push(done));
        },
        ended,
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}

describeEachBackend('GET /v1/call/concurrency/stream (SSE)', (backend) => {
  let t: TestApp;
  let base: string;

  before(async () => {
    t = await buildTestApp({ backend, concurrencyIntervalMs: 50 });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(() => t.close());

  /** Reads events until one satisfies `ok`; the count is sampled, so it may take a tick or two. */
  async function until(stream: EventStream, ok: (n: number) => boolean): Promise<number> {
    for (let i = 0; i < 100; i++) {
      const { active_calls } = await stream.next();
      if (ok(active_calls)) return active_calls;
    }
    throw new Error('the count never got there');
  }

  test("counts the project's dialing and in-progress calls, live", async () => {
    const stream = await openStream(`${base}/v1/call/concurrency/stream`, t.keyA);
    try {
      assert.equal(stream.status, 200);
      assert.match(stream.headers['content-type'] as string, /^text\/event-stream/);
      assert.equal(stream.headers['cache-control'], 'no-store');
      assert.ok(stream.headers['x-request-id']);
      assert.deepEqual(await stream.next(), { active_calls: 0 });

      const ringing = callEvents(t.projectA);
      const talking = callEvents(t.projectA);
      const other = callEvents(t.projectB);
      await postEvents(t.app, t.runtimeToken, [
        ringing.created(0),
        talking.created(0),
        talking.answered(1),
        other.created(0),
      ]);
      assert.equal(await until(stream, (n) => n !== 0), 2, "project B's call is not counted");

      await postEvents(t.app, t.runtimeToken, [ringing.ended(20, 'no_answer')]);
      assert.equal(await until(stream, (n) => n !== 2), 1);
    } finally {
      stream.close();
    }
  });

  // close() waiting on the open stream would never return: the timeout stands for "never".
  test('a client that leaves stops its stream; shutdown ends the streams still open', { timeout: 10_000 }, async () => {
    const leaving = await openStream(`${base}/v1/call/concurrency/stream`, t.keyA);
    await leaving.next();
    leaving.close();
    const staying = await openStream(`${base}/v1/call/concurrency/stream`, t.keyB);
    await staying.next();
    await t.app.close();
    await staying.ended;
  });
});

describeEachBackend('concurrency stream: credentials', (backend) => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ backend });
  });
  after(() => t.close());

  test('401 without a key, 403 without calls.view, in the error envelope', async () => {
    const none = await t.app.inject({ url: '/v1/call/concurrency/stream' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error_code, 'INVALID_API_KEY');
    const narrow = await t.keyFor(t.projectA, ['messages.view']);
    const denied = await t.app.inject({
      url: '/v1/call/concurrency/stream',
      headers: { authorization: `Bearer ${narrow}` },
    });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error_code, 'MISSING_PERMISSIONS');
  });
});

describeEachBackend('concurrency stream: caps and lifetime', (backend) => {
  let t: TestApp;
  let base: string;
  before(async () => {
    t = await buildTestApp({
      backend,
      concurrencyIntervalMs: 50,
      app: { streams: { perKey: 2, perProject: 3, maxLifetimeMs: 60_000 } },
    });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(() => t.close());

  const refusal = async (key: string) => {
    const response = await fetch(`${base}/v1/call/concurrency/stream`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await response.json()) as { error_code: string; message: string };
    assertMatchesSeed('ErrorResponseSchema', body);
    return { http: response.status, error_code: body.error_code, message: body.message };
  };

  // Without caps the refused requests would be streams that never end: the timeout stands for "never".
  test(
    'a key may hold perKey streams open and a project perProject; a closed one frees its slot',
    { timeout: 10_000 },
    async () => {
      const [first, second, third] = [
        await t.keyFor(t.projectA, null),
        await t.keyFor(t.projectA, null),
        await t.keyFor(t.projectA, null),
      ] as [string, string, string];
      const open: EventStream[] = [];
      try {
        for (const key of [first, first, second])
          open.push(await openStream(`${base}/v1/call/concurrency/stream`, key));
        assert.deepEqual(
          open.map((s) => s.status),
          [200, 200, 200],
        );
        assert.deepEqual(await refusal(first), {
          http: 429,
          error_code: 'TOO_MANY_STREAMS',
          message: 'Too many open concurrency streams for this key (at most 2); close one first',
        });
        assert.deepEqual(await refusal(third), {
          http: 429,
          error_code: 'TOO_MANY_STREAMS',
          message: 'Too many open concurrency streams for this project (at most 3); close one first',
        });
        const other = await openStream(`${base}/v1/call/concurrency/stream`, t.keyB);
        open.push(other);
        assert.equal(other.status, 200, "another project's streams are its own");

        open.shift()?.close();
        const again = await pollUntil(
          'the closed stream has given its slot back',
          () => openStream(`${base}/v1/call/concurrency/stream`, first),
          (s) => s.status === 200 || (s.close(), false),
          { everyMs: 20 },
        );
        open.push(again);
        assert.deepEqual(await again.next(), { active_calls: 0 });
      } finally {
        for (const stream of open) stream.close();
      }
    },
  );
});

describeEachBackend('concurrency stream: lifetime and one count per project', (backend) => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ backend });
  });
  after(() => t.close());

  // Without a lifetime the stream would never end: the timeout stands for "never".
  test(
    'the server ends a stream once its lifetime is over, and its slot is free again',
    { timeout: 10_000 },
    async () => {
      const app = await buildApp({
        db: t.store.db,
        recordings: { blobs: t.blobs },
        concurrencyIntervalMs: 50,
        streams: { perKey: 1, maxLifetimeMs: 300 },
      });
      try {
        const base = await app.listen({ host: '127.0.0.1', port: 0 });
        const stream = await openStream(`${base}/v1/call/concurrency/stream`, t.keyA);
        assert.equal(stream.status, 200);
        assert.deepEqual(await stream.next(), { active_calls: 0 });
        await stream.ended;
        const next = await openStream(`${base}/v1/call/concurrency/stream`, t.keyA);
        assert.equal(next.status, 200, 'the ended stream gave its slot back');
        next.close();
      } finally {
        await app.close();
      }
    },
  );

  test("a project's streams share one count per interval rather than each asking the store", async () => {
    const queries = queryCounter();
    const app = await buildApp({
      db: t.store.db.withPlugin(queries.plugin),
      recordings: { blobs: t.blobs },
      concurrencyIntervalMs: 50,
    });
    const streams: EventStream[] = [];
    try {
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const keys = [t.keyA, await t.keyFor(t.projectA, null), await t.keyFor(t.projectA, null)];
      for (const key of [...keys, ...keys]) streams.push(await openStream(`${base}/v1/call/concurrency/stream`, key));
      for (const stream of streams) await stream.next();
      const [watched] = streams as [EventStream];
      const before = queries.count;
      for (let i = 0; i < 10; i += 1) await watched.next();
      const asked = queries.count - before;
      // One count per interval (10, and a tick or two of slack); six streams each asking would be 60.
      assert.ok(asked <= 13, `the store was asked ${asked} times for 10 events of 6 streams`);
    } finally {
      for (const stream of streams) stream.close();
      await app.close();
    }
  });
});

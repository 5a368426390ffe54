import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { RateLimits, type RateLimitPolicies } from '../../../src/domain/rate-limits/rate-limits.js';
import { buildTestApp, postEvents, type TestApp, uploadRecording } from '../../helpers/app.js';
import { callEvents } from '../../helpers/events.js';
import { CapturedLog } from '../../helpers/captured-log.js';
import { describeEachBackend } from '../../helpers/backends.js';

/** What a client sees of one answer: status, headers in order (Date aside), body. */
interface Seen {
  status: number;
  headers: string[];
  body: string;
}

function send(port: number, method: string, path: string, headers: Record<string, string>): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const pairs: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = (res.rawHeaders[i] as string).toLowerCase();
          if (name !== 'date') pairs.push(`${name}: ${res.rawHeaders[i + 1]}`);
        }
        resolve({ status: res.statusCode as number, headers: pairs, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * The parts that differ between two servers by design: a new request id, the seconds until the
 * bucket is full, and on PostgreSQL the tokens left (both servers spend one shared bucket).
 */
function normalized(seen: Seen, givenRequestId: boolean, sharedBucket: boolean): Seen {
  const headers = seen.headers.map((line) => {
    if (!givenRequestId && line.startsWith('x-request-id: ')) {
      assert.match(line, /^x-request-id: [0-9a-f-]{36}$/);
      return 'x-request-id: (new)';
    }
    const reset = line.replace(/;t=\d+$/, ';t=(s)');
    return sharedBucket ? reset.replace(/;r=\d+;/, ';r=(n);') : reset;
  });
  // A signed recording URL names its expiry second, which two requests can straddle.
  const body = seen.body.replace(/expires=\d+&signature=[0-9a-f]{64}/g, 'expires=(s)&signature=(sig)');
  return { ...seen, headers, body };
}

/** The access-log line of one request, without its time, duration and (new) request id. */
function accessLine(
  lines: Record<string, unknown>[],
  path: string,
  reqId: string | undefined,
): Record<string, unknown> {
  // By path: a streamed answer (a recording) is logged when its last bytes leave, which can be
  // after the client has read them and sent its next request.
  const line = lines.findLast((l) => l.url === path && (reqId === undefined || l.reqId === reqId));
  assert.ok(line, 'no access-log line');
  assert.equal(typeof line.ms, 'number');
  const { time: _time, ms: _ms, reqId: id, ...rest } = line;
  return { ...rest, reqId: reqId === undefined ? typeof id : id };
}

// On PostgreSQL both servers spend one bucket per key, and each may hold a lease it has not spent
// yet (up to a twentieth of the burst, topped up ahead of need): enough for every test's requests.
const policies: RateLimitPolicies = { apiKey: { name: 'api-key', burst: 240, perSecond: 0.001 } };

describeEachBackend('GET /v1/call/{id} fast path', (backend) => {
  let t: TestApp;
  let plain: FastifyInstance;
  const fastLog = new CapturedLog();
  const plainLog = new CapturedLog();
  let fastPort: number;
  let plainPort: number;
  /** Requests that reached Fastify on the server with the fast path. */
  let reachedFastify = 0;
  const ids: Record<string, string> = {};
  let restrictedKey: string;

  before(async () => {
    t = await buildTestApp({
      backend,
      sqliteFile: true,
      rateLimits: policies,
      logger: fastLog.logger,
      app: { hsts: true },
    });
    plain = await buildApp({
      db: t.store.db,
      logger: plainLog.logger,
      recordings: { blobs: t.blobs },
      rateLimits: RateLimits.forStore(policies, t.store),
      hsts: true,
      fastPath: false,
    });
    t.app.addHook('onRequest', (_request, _reply, done) => {
      reachedFastify++;
      done();
    });
    const own = callEvents(t.projectA);
    const other = callEvents(t.projectB);
    const recorded = callEvents(t.projectA);
    for (const call of [own, other, recorded]) {
      const response = await postEvents(t.app, t.runtimeToken, [call.created(0), call.ended(30, 'completed')]);
      assert.equal(response.statusCode, 200, response.body);
    }
    await uploadRecording(t, recorded.callId, Buffer.alloc(4096, 7));
    Object.assign(ids, {
      own: own.callId,
      other: other.callId,
      recorded: recorded.callId,
    });
    restrictedKey = await t.keyFor(t.projectA, ['calls.create']);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    await plain.listen({ port: 0, host: '127.0.0.1' });
    fastPort = (t.app.server.address() as AddressInfo).port;
    plainPort = (plain.server.address() as AddressInfo).port;
  });
  after(async () => {
    await plain.close();
    await t.close();
  });

  /** Sends one request to both servers; asserts the same answer and log line; returns it. */
  async function both(
    path: string,
    headers: Record<string, string>,
    method = 'GET',
  ): Promise<Seen & { viaFastify: boolean }> {
    // One Host for both, so that signed recording URLs name the same server.
    headers = { host: 'api.example:8000', ...headers };
    const before = reachedFastify;
    const fast = await send(fastPort, method, path, headers);
    const viaFastify = reachedFastify > before;
    const plainSeen = await send(plainPort, method, path, headers);
    const given = headers['x-request-id'] !== undefined;
    const shared = backend === 'postgres';
    assert.deepEqual(
      normalized(fast, given, shared),
      normalized(plainSeen, given, shared),
      `${method} ${path} ${JSON.stringify(headers)}`,
    );
    assert.deepEqual(
      accessLine(fastLog.records, path, headers['x-request-id']),
      accessLine(plainLog.records, path, headers['x-request-id']),
    );
    return { ...fast, viaFastify };
  }

  test('answers a known call and an unknown id without Fastify, byte for byte as the route does', async () => {
    const auth = { authorization: `Bearer ${t.keyA}` };
    // The first use of a key verifies it in the store, which only the route does.
    assert.equal((await both(`/v1/call/${ids.own}`, auth)).viaFastify, true);

    const known = await both(`/v1/call/${ids.own}`, auth);
    assert.equal(known.status, 200);
    assert.equal(JSON.parse(known.body).id, ids.own);
    assert.equal(known.viaFastify, false);

    const unknown = await both('/v1/call/00000000-0000-4000-8000-000000000000', auth);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.viaFastify, false);

    // Another project's call answers exactly like a call that does not exist.
    const other = await both(`/v1/call/${ids.other}`, auth);
    assert.equal(other.status, 404);
    assert.equal(
      other.body,
      JSON.stringify({
        status: 'error',
        error_code: 'CALL_NOT_FOUND',
        message: `Call ${ids.other} not found`,
      }),
    );
    assert.equal(other.viaFastify, false);
  });

  test('signs the URL of a recording stored here as the route does, and the URL works', async () => {
    const seen = await both(`/v1/call/${ids.recorded}`, { authorization: `Bearer ${t.keyA}` });
    assert.equal(seen.viaFastify, false);
    const url = new URL(JSON.parse(seen.body).recording_url as string);
    assert.equal(url.host, 'api.example:8000');
    const audio = await send(fastPort, 'GET', `${url.pathname}${url.search}`, {});
    assert.equal(audio.status, 200);
    assert.equal(audio.body.length, 4096);
  });

  test('every other request is left to Fastify and answered the same on both servers', async () => {
    const id = ids.own as string;
    const paths = [
      `/v1/call/${id}`,
      `/v1/call/${ids.other}`,
      `/v1/call/${ids.recorded}`,
      '/v1/call/00000000-0000-4000-8000-000000000000',
      `/v1/call/${id.toUpperCase()}`,
      `/v1/call/{${id}}`,
      `/v1/call/${id}/`,
      `/v1/call/${id}?expand=contact`,
      `/v1/call/${id.slice(0, -1)}`,
    ];
    const auths: Record<string, string | undefined> = {
      keyA: `Bearer ${t.keyA}`,
      keyB: `Bearer ${t.keyB}`,
      lowercaseScheme: `bearer ${t.keyA}`,
      restricted: `Bearer ${restrictedKey}`,
      invalid: `Bearer sk-${'0'.repeat(64)}`,
      none: undefined,
    };
    const extras: Record<string, string>[] = [
      {},
      { 'x-request-id': 'client-id.42' },
      { origin: 'https://app.example' },
    ];
    let fastAnswers = 0;
    for (const path of paths) {
      for (const [who, authorization] of Object.entries(auths)) {
        for (const extra of extras) {
          const headers = { ...extra, ...(authorization === undefined ? {} : { authorization }) };
          const seen = await both(path, headers);
          if (!seen.viaFastify) {
            fastAnswers++;
            // Only canonical ids, with a verified key that may view calls and no Origin.
            assert.ok(['keyA', 'keyB', 'lowercaseScheme'].includes(who), who);
            assert.equal(extra.origin, undefined);
            assert.ok(path === `/v1/call/${id}` || /^\/v1\/call\/[0-9a-f-]{36}$/.test(path), path);
          }
        }
      }
    }
    assert.ok(fastAnswers >= 12, `the fast path answered ${fastAnswers}`);
    assert.equal((await both(`/v1/call/${id}`, { authorization: `Bearer ${t.keyA}` }, 'HEAD')).viaFastify, true);
  });

  test('behind a proxy without DIGA_PUBLIC_URL, a recording stored here is left to the route to sign', async () => {
    const proxied = await buildApp({
      db: t.store.db,
      logger: false,
      recordings: { blobs: t.blobs },
      trustProxy: true,
    });
    let reached = 0;
    proxied.addHook('onRequest', (_request, _reply, done) => {
      reached++;
      done();
    });
    try {
      await proxied.listen({ port: 0, host: '127.0.0.1' });
      const { port } = proxied.server.address() as AddressInfo;
      const headers = {
        authorization: `Bearer ${t.keyA}`,
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'calls.example',
      };
      const viaFastify = async (id: string): Promise<[boolean, Seen]> => {
        const before = reached;
        const seen = await send(port, 'GET', `/v1/call/${id}`, headers);
        assert.equal(seen.status, 200, seen.body);
        return [reached > before, seen];
      };
      await viaFastify(ids.own as string); // verifies the key
      assert.deepEqual((await viaFastify(ids.own as string))[0], false, 'no recording stored here: the fast path');
      const [routed, seen] = await viaFastify(ids.recorded as string);
      assert.equal(routed, true, 'a recording stored here: the route');
      const url = new URL(JSON.parse(seen.body).recording_url as string);
      assert.equal(`${url.protocol}//${url.host}`, 'https://calls.example', "the client's URL, as the proxy said");
    } finally {
      await proxied.close();
    }
  });

  test(
    'a key past its rate limit is refused by the route, with the same headers',
    // On PostgreSQL both servers spend one shared bucket, so they run out at different requests.
    { skip: backend === 'postgres' ? 'one bucket shared by both servers' : false },
    async () => {
      const auth = { authorization: `Bearer ${t.keyB}` };
      let refused: Seen | undefined;
      for (let i = 0; i < policies.apiKey!.burst + 1 && refused === undefined; i++) {
        const seen = await both(`/v1/call/${ids.other}`, auth);
        if (seen.status === 429) refused = seen;
        else assert.equal(seen.status, 200);
      }
      assert.ok(refused, 'never refused');
      assert.equal(JSON.parse(refused.body).error_code, 'RATE_LIMITED');
    },
  );
});

describeEachBackend("GET /v1/call/{id} fast path: the project's rate limit", (backend) => {
  // A lease on PostgreSQL is a twentieth of the burst: 3 here, so the fast path has some to spend.
  const limited: RateLimitPolicies = {
    apiKey: { name: 'api-key', burst: 1000, perSecond: 0.001 },
    project: { name: 'project', burst: 60, perSecond: 0.001 },
  };
  let t: TestApp;
  let port: number;
  let reachedFastify = 0;
  let callId: string;

  before(async () => {
    t = await buildTestApp({ backend, sqliteFile: true, rateLimits: limited });
    t.app.addHook('onRequest', (_request, _reply, done) => {
      reachedFastify++;
      done();
    });
    const call = callEvents(t.projectA);
    assert.equal((await postEvents(t.app, t.runtimeToken, [call.created(0)])).statusCode, 200);
    callId = call.callId;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(() => t.close());

  test('three keys of one project get the fast path only within the project budget', async () => {
    const keys = [];
    for (let i = 0; i < 3; i += 1) keys.push(await t.keyFor(t.projectA, null));
    const statuses: number[] = [];
    let fast = 0;
    let refused: Seen | undefined;
    for (let round = 0; round < 25; round += 1) {
      for (const key of keys) {
        const before = reachedFastify;
        const seen = await send(port, 'GET', `/v1/call/${callId}`, { authorization: `Bearer ${key}` });
        statuses.push(seen.status);
        if (reachedFastify === before) fast++;
        if (seen.status === 429) refused ??= seen;
      }
    }
    const allowed = statuses.filter((status) => status === 200).length;
    // On PostgreSQL a top-up granted while its lease was being replaced is lost: fewer, never more.
    if (backend === 'sqlite') assert.equal(allowed, 60, statuses.join(' '));
    else assert.ok(allowed <= 60 && allowed >= 40, statuses.join(' '));
    assert.ok(fast >= 20, `the fast path answered ${fast}`);
    assert.ok(refused, 'never refused');
    assert.equal(JSON.parse(refused.body).error_code, 'RATE_LIMITED');
    assert.ok(refused.headers.includes('ratelimit-policy: "project";q=60;w=60000'), refused.headers.join('\n'));
  });
});

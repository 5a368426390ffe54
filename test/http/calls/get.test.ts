import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, postEvents, type TestApp } from '../../helpers/app.js';
import { assertMatchesSeed, schemaForStatus } from '../../helpers/contract.js';
import { callEvents } from '../../helpers/events.js';
import { CapturedLog } from '../../helpers/captured-log.js';
import { sendTo, TRANSPORTS, type Answer, type Send } from '../../helpers/transports.js';
import { operator } from '../../../src/domain/api-keys/principal.js';
import { revokeApiKey } from '../../../src/domain/api-keys/revoke-api-key.js';
import { findApiKeyByHash } from '../../../src/store/credentials-repo.js';
import { hashSecret } from '../../../src/domain/api-keys/secrets.js';

/** GET /v1/call/{id} with `key`, asserting that whatever came back is valid against the seed. */
async function getCallAs(send: Send, key: string | undefined, id: string): Promise<Answer> {
  const response = await send({
    url: `/v1/call/${id}`,
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });
  assertMatchesSeed(schemaForStatus(response.statusCode), response.json());
  return response;
}

// Each test runs both through inject (Fastify alone: the route) and over a socket to a listening
// server, where the fast path (call-fast-path.ts) answers what it can, as in production.
for (const transport of TRANSPORTS) {
  describeEachBackend(`GET /v1/call/{id} through ${transport}`, (backend) => {
    let t: TestApp;
    let send: Send;
    let callId: string;
    /** Requests that reached Fastify rather than the fast path. */
    let reachedFastify = 0;

    /** A test app over `backend`, reached through this suite's transport, counting what reaches Fastify. */
    async function appFor(options: Parameters<typeof buildTestApp>[0] = {}): Promise<{ t: TestApp; send: Send }> {
      // Over a socket, SQLite in a file as the server runs it: its read connection answers at once.
      const app = await buildTestApp({ backend, sqliteFile: transport === 'socket', ...options });
      app.app.addHook('onRequest', (_request, _reply, done) => {
        reachedFastify++;
        done();
      });
      return { t: app, send: await sendTo(app.app, transport) };
    }

    before(async () => {
      ({ t, send } = await appFor());
      const call = callEvents(t.projectA);
      callId = call.callId;
      const response = await postEvents(t.app, t.runtimeToken, [
        call.created(0, {
          agent_id: randomUUID(),
          agent_version_id: randomUUID(),
          phone_register_id: randomUUID(),
          dynamic_variables: { customer_name: 'Lucía', appointment: '2026-12-01', nested: { b: 1, a: [1, 2] } },
        }),
        call.answered(4),
        call.message(6, 'assistant', 'Hola, ¿en qué puedo ayudarle?'),
        call.ended(64.5, 'completed', 'customer_hangup'),
        call.recording(70),
      ]);
      assert.equal(response.statusCode, 200, response.body);
    });
    after(() => t.close());

    test('returns the call exactly as the seed documents it', async () => {
      const response = await getCallAs(send, t.keyA, callId);
      assert.equal(response.statusCode, 200);
      assert.match(response.headers['content-type'] as string, /^application\/json/);
      const body = response.json();
      assert.deepEqual(Object.keys(body), [
        'id',
        'agent_id',
        'agent_version_id',
        'status',
        'recording_url',
        'start_time',
        'end_time',
        'duration',
        'type',
        'end_reason',
        'contact',
        'phone_register_id',
        'dynamic_variables',
        'created_date',
      ]);
      assert.equal(body.id, callId);
      assert.equal(body.status, 'completed');
      assert.equal(body.type, 'inbound');
      assert.equal(body.created_date, '2026-11-20T10:00:00Z');
      assert.equal(body.start_time, '2026-11-20T10:00:04Z');
      assert.equal(body.end_time, '2026-11-20T10:01:04.500000Z');
      assert.equal(body.duration, 60, 'whole seconds from answer to end');
      assert.equal(body.end_reason, 'customer_hangup');
      assert.equal(body.recording_url, `https://recordings.example/${callId}.mp3`);
      assert.equal(
        JSON.stringify(body.dynamic_variables),
        '{"customer_name":"Lucía","appointment":"2026-12-01","nested":{"b":1,"a":[1,2]}}',
        'dynamic variables come back as given, in their order',
      );
      assert.deepEqual(Object.keys(body.contact), ['id', 'created_date', 'identifier', 'contact_type']);
      assert.equal(body.contact.identifier, '+34600111222');
      assert.equal(body.contact.contact_type, 'call');
      assert.equal(body.contact.created_date, '2026-11-20T10:00:00Z');
    });

    test('a call that has not ended shows explicit nulls', async () => {
      const call = callEvents(t.projectA);
      await postEvents(t.app, t.runtimeToken, [call.created(0)]);
      const body = (await getCallAs(send, t.keyA, call.callId)).json();
      assert.equal(body.status, 'dialing');
      for (const key of [
        'agent_id',
        'agent_version_id',
        'recording_url',
        'start_time',
        'end_time',
        'duration',
        'end_reason',
        'phone_register_id',
        'dynamic_variables',
      ]) {
        assert.ok(key in body && body[key] === null, `${key} is present and null`);
      }
    });

    test('finds the call whatever UUID form pydantic accepts', async () => {
      const hex = callId.replaceAll('-', '');
      for (const form of [
        callId,
        callId.toUpperCase(),
        hex,
        hex.toUpperCase(),
        `{${callId}}`,
        `urn:uuid:${callId}`,
        `urn:uuid:${callId.toUpperCase()}`,
      ]) {
        const response = await getCallAs(send, t.keyA, encodeURIComponent(form));
        assert.equal(response.statusCode, 200, form);
        assert.equal(response.json().id, callId, 'ids in bodies are lowercase hyphenated');
      }
    });

    test('a malformed id is a 422 in pydantic v2 shape', async () => {
      const cases: [string, string][] = [
        ['abc', 'invalid length: expected length 32 for simple format, found 3'],
        [
          'not-a-uuid',
          'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1',
        ],
        ['67e5504410b1426f9247bb680e5fe0c', 'invalid length: expected length 32 for simple format, found 31'],
        ['F9168C5E-CEB2-4faa-B6BFF329BF39FA1E4', 'invalid group count: expected 5, found 4'],
        ['F9168C5E-CEB-24fa-eB6BFF32-BF39FA1E4', 'invalid group length in group 1: expected 4, found 3'],
        ['{F9168C5E-CEB2-4faa-B6BF-329BF39FA1E45}', 'invalid group length in group 4: expected 12, found 15'],
        [
          'urn:uuid:F9168C5E-CEB2-4faa-BGBF-329BF39FA1E4',
          'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `G` at 30',
        ],
      ];
      for (const [input, error] of cases) {
        const response = await getCallAs(send, t.keyA, encodeURIComponent(input));
        assert.equal(response.statusCode, 422, input);
        assert.deepEqual(response.json(), {
          detail: [
            {
              type: 'uuid_parsing',
              loc: ['path', 'id'],
              msg: `Input should be a valid UUID, ${error}`,
              input,
              ctx: { error },
            },
          ],
        });
      }
    });

    test('a huge id still gets a 422 with a bounded body', async () => {
      const response = await getCallAs(send, t.keyA, 'x'.repeat(3000));
      assert.equal(response.statusCode, 422);
      assert.ok(response.body.length < 2000, `body is ${response.body.length} bytes`);
    });

    test('401 for every kind of missing or bad credential, with WWW-Authenticate', async () => {
      const revoked = await t.keyFor(t.projectA, null);
      const row = await findApiKeyByHash(t.store.db, hashSecret(revoked));
      await revokeApiKey(t.store.db, operator, row!.id);
      const expired = await t.keyFor(t.projectA, null, Date.now() * 1000 - 1);
      const headers: (string | undefined)[] = [
        undefined,
        '',
        'Bearer',
        'Bearer ',
        `Basic ${t.keyA}`,
        `Token ${t.keyA}`,
        `Bearer sk-${'0'.repeat(64)}`,
        `Bearer ${t.keyA}x`,
        `Bearer ${t.runtimeToken}`,
        `Bearer ${revoked}`,
        `Bearer ${expired}`,
      ];
      for (const authorization of headers) {
        const response = await send({
          url: `/v1/call/${callId}`,
          headers: authorization === undefined ? {} : { authorization },
        });
        assert.equal(response.statusCode, 401, String(authorization));
        assert.equal(response.headers['www-authenticate'], 'Bearer');
        assert.deepEqual(response.json(), {
          status: 'error',
          error_code: 'INVALID_API_KEY',
          message: 'Invalid or missing API key',
        });
      }
    });

    test('a key revoked elsewhere (another process) stops working within the cache TTL of 1 s', async () => {
      const key = await t.keyFor(t.projectA, null);
      assert.equal((await getCallAs(send, key, callId)).statusCode, 200);
      const row = await findApiKeyByHash(t.store.db, hashSecret(key));
      await revokeApiKey(t.store.db, operator, row!.id); // as the CLI would: this app's cache is not told
      t.clock.advance(1100);
      assert.equal((await getCallAs(send, key, callId)).statusCode, 401);
    });

    test('the bearer scheme is case-insensitive, as in FastAPI', async () => {
      const response = await send({ url: `/v1/call/${callId}`, headers: { authorization: `bearer ${t.keyA}` } });
      assert.equal(response.statusCode, 200);
    });

    test('authentication is decided before validation', async () => {
      const response = await getCallAs(send, undefined, 'not-a-uuid');
      assert.equal(response.statusCode, 401);
      const restricted = await t.keyFor(t.projectA, ['agents.view']);
      assert.equal((await getCallAs(send, restricted, 'not-a-uuid')).statusCode, 403);
    });

    test('permissions: calls.view is required, other grants do not help', async () => {
      const matrix: [string[] | null, number][] = [
        [null, 200],
        [['calls.view'], 200],
        [['calls.view', 'agents.view'], 200],
        [[], 403],
        [['agents.view', 'calls.create', 'messages.view', 'recordings.view'], 403],
      ];
      for (const [permissions, status] of matrix) {
        const key = await t.keyFor(t.projectA, permissions as never);
        const response = await getCallAs(send, key, callId);
        assert.equal(response.statusCode, status, JSON.stringify(permissions));
        if (status === 403) {
          assert.deepEqual(response.json(), {
            status: 'error',
            error_code: 'MISSING_PERMISSIONS',
            message: 'Missing required permissions to view calls',
          });
        }
      }
    });

    test("another project's call answers exactly like a call that does not exist", async () => {
      const foreign = await getCallAs(send, t.keyB, callId);
      assert.equal(foreign.statusCode, 404);
      assert.deepEqual(foreign.json(), {
        status: 'error',
        error_code: 'CALL_NOT_FOUND',
        message: `Call ${callId} not found`,
      });
      // The same id asked of a store where it never existed: same bytes, same headers
      // (but for the request id and the date).
      const empty = await appFor();
      try {
        const missing = await getCallAs(empty.send, empty.t.keyB, callId);
        assert.equal(foreign.body, missing.body);
        const strip = (h: Record<string, unknown>) => {
          const { 'x-request-id': _id, date: _date, ...rest } = h;
          return rest;
        };
        assert.deepEqual(strip(foreign.headers), strip(missing.headers));
      } finally {
        await empty.t.close();
      }
    });

    test('the 404 message names the canonical id whatever form was sent', async () => {
      const id = randomUUID();
      const response = await getCallAs(send, t.keyA, `{${id.toUpperCase()}}`);
      assert.equal(response.json().message, `Call ${id} not found`);
    });

    test('every response carries x-request-id; authenticated ones Cache-Control: no-store', async () => {
      const ok = await getCallAs(send, t.keyA, callId);
      assert.match(ok.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
      assert.equal(ok.headers['cache-control'], 'no-store');
      const given = await send({
        url: `/v1/call/${callId}`,
        headers: { authorization: `Bearer ${t.keyA}`, 'x-request-id': 'trace-123' },
      });
      assert.equal(given.headers['x-request-id'], 'trace-123');
      const unauthenticated = await getCallAs(send, undefined, callId);
      assert.ok(unauthenticated.headers['x-request-id']);
    });

    test('unknown paths are 404 and wrong methods 405 with Allow, in the envelope', async () => {
      const notFound = await send({ url: '/v1/nothing-here' });
      assert.equal(notFound.statusCode, 404);
      assert.deepEqual(notFound.json(), { status: 'error', error_code: 'NOT_FOUND', message: 'Not Found' });
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
        const response = await send({
          method,
          url: `/v1/call/${callId}`,
          headers: { authorization: `Bearer ${t.keyA}` },
        });
        assert.equal(response.statusCode, 405, method);
        assert.equal(response.headers.allow, 'GET, HEAD');
        assert.deepEqual(response.json(), {
          status: 'error',
          error_code: 'METHOD_NOT_ALLOWED',
          message: 'Method Not Allowed',
        });
      }
    });

    test('a trailing slash redirects to the route, as Starlette does', async () => {
      const response = await send({ url: `/v1/call/${callId}/?x=1` });
      assert.equal(response.statusCode, 307);
      assert.equal(response.headers.location, `/v1/call/${callId}?x=1`);
    });

    test('a store failure is a generic 500, logged with the request id, never echoed', async () => {
      const log = new CapturedLog('error');
      const logged = await appFor({ logger: log.logger });
      try {
        await sql`DROP TABLE calls`.execute(logged.t.store.db);
        const response = await getCallAs(logged.send, logged.t.keyA, randomUUID());
        assert.equal(response.statusCode, 500);
        assert.deepEqual(response.json(), {
          status: 'error',
          error_code: 'INTERNAL_SERVER_ERROR',
          message: 'Error: Internal Server Error',
        });
        const entry = (log.records as { reqId?: string; err?: { message: string } }[]).find((l) => l.err);
        assert.equal(entry?.reqId, response.headers['x-request-id']);
        assert.match(entry?.err?.message ?? '', /calls/, 'the log names the cause');
      } finally {
        await logged.t.close();
      }
    });

    test(
      transport === 'socket'
        ? 'over a socket, a known key reading a call is answered by the fast path'
        : 'through inject, every request reaches Fastify',
      async () => {
        // The key's first use in a while verifies it in the store, which only the route does.
        await getCallAs(send, t.keyA, callId);
        for (const id of [callId, randomUUID()]) {
          const before = reachedFastify;
          const response = await getCallAs(send, t.keyA, id);
          assert.equal(response.statusCode, id === callId ? 200 : 404);
          assert.equal(reachedFastify - before, transport === 'socket' ? 0 : 1);
        }
      },
    );
  });
}

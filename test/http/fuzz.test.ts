import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { buildTestApp, type TestApp, uploadRecording } from '../helpers/app.js';
import { describeEachBackend } from '../helpers/backends.js';
import { assertMatchesReference, assertMatchesSeed, reference } from '../helpers/contract.js';
import { fuzzRequest, wire, type FuzzContext, type FuzzRequest } from '../helpers/fuzz-requests.js';
import { rawRequest, type RawResponse } from '../helpers/raw-http.js';
import { seedCalls } from '../helpers/seeded-calls.js';
import { CapturedLog } from '../helpers/captured-log.js';

/** Cases per backend: a bounded number in `npm test`; `npm run fuzz` sets many more. */
const RUNS = Number(process.env.DIGA_FUZZ_RUNS ?? 300);

/**
 * Every status the service is documented to answer with (README, docs/SECURITY.md): Diga's own,
 * and those of HTTP itself (307 for a trailing slash, 405, 413, 415, 416, 429, 431). Never 500;
 * never 503 either, as the store is healthy here.
 */
const DOCUMENTED = new Set([200, 201, 204, 206, 307, 400, 401, 403, 404, 405, 409, 412, 413, 415, 416, 422, 429, 431]);

/** The reference's success schema for a request, where the reference documents one. */
function referenceSchemaFor(method: string, path: string, status: number): string | undefined {
  for (const [template, operations] of Object.entries(reference.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!pattern.test(path)) continue;
    const responses = operations[method.toLowerCase()]?.responses as
      Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> | undefined;
    const ref = responses?.[String(status)]?.content?.['application/json']?.schema?.$ref;
    if (ref) return ref.split('/').pop();
  }
  return undefined;
}

function checkAnswer(request: FuzzRequest, answer: RawResponse | 'closed'): void {
  const what = `${request.method} ${request.target.slice(0, 200)}`;
  assert.notEqual(answer, 'closed', `${what}: the connection closed without an answer`);
  const { status, headers, body } = answer as RawResponse;
  assert.ok(DOCUMENTED.has(status), `${what}: undocumented status ${status}: ${body.slice(0, 500)}`);
  // Our own messages only: 200s and 422s echo what clients stored or sent, which may be anything.
  if (status >= 400 && status !== 422) {
    assert.doesNotMatch(body, /\n\s+at |node_modules|\/src\/|SqliteError|kysely/i, `${what}: internals in the body`);
  }
  if (status === 307) assert.ok(headers.location, `${what}: a redirect without Location`);
  if (request.method === 'HEAD' || status === 204 || status === 307) return;
  if (status >= 400) {
    assert.equal(headers['content-type']?.split(';')[0], 'application/json', what);
    const parsed = JSON.parse(body) as unknown;
    assertMatchesSeed(status === 422 ? 'HTTPValidationError' : 'ErrorResponseSchema', parsed);
    return;
  }
  if (headers['content-type']?.startsWith('application/json')) {
    const parsed = JSON.parse(body) as unknown;
    // What routing sees: the request line's target ends at its first space.
    const path = request.target.split(' ')[0]?.split('?')[0] as string;
    const schema = referenceSchemaFor(request.method, path, status);
    if (schema !== undefined) assertMatchesReference(schema, parsed);
  }
}

/** Requests the fuzz once found mishandled (a hang, a dropped connection, Fastify's own 400): replayed on every run. */
function regressions(ctx: FuzzContext): [FuzzRequest][] {
  const auth: [string, string] = ['Authorization', `Bearer ${ctx.apiKey}`];
  return [
    [{ method: 'HEAD', target: '/v1/call/concurrency/stream', headers: [auth] }],
    [{ method: 'CONNECT', target: '/v1/call/', headers: [] }],
    [{ method: 'GET', target: '/%uD800', headers: [] }],
    [{ method: 'GET', target: `/v1/call/${ctx.callIds[0]}%E0%A4%A`, headers: [auth] }],
    [
      {
        method: 'POST',
        target: '/v1/api_key/',
        headers: [auth, ['Content-Type', 'application/json']],
        body: Buffer.alloc(0),
      },
    ],
  ];
}

describeEachBackend('fuzzing every endpoint over a real socket', (backend) => {
  let t: TestApp;
  let port: number;
  let ctx: FuzzContext;
  const serious = new CapturedLog('error');

  before(async () => {
    t = await buildTestApp({
      backend,
      // A file, as the server runs SQLite: its read connection, and GET /v1/call/{id}'s fast path.
      sqliteFile: true,
      logger: serious.logger,
      webhooks: {
        // No DNS from the fuzz, and no webhook anywhere but loopback: the valid body's URL is the
        // allowed 127.0.0.1, and every name resolves to loopback, so any other is refused.
        policy: { allowHttp: false, allowedHosts: new Set(['127.0.0.1']) },
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      },
    });
    const calls = await seedCalls(t.app, t.runtimeToken, t.projectA, 6);
    await uploadRecording(t, calls[0]?.id as string, Buffer.alloc(4096, 7));
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
    const phoneNumber = await outboundPhone(t);
    ctx = {
      callIds: calls.map((c) => c.id),
      apiKey: t.keyA,
      runtimeToken: t.runtimeToken,
      projectId: t.projectA,
      phoneNumber,
    };
  });
  after(() => t.close());

  test(`${RUNS} random requests: documented statuses, contract-valid bodies, no 500, no hang`, async (context) => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequest(ctx), async (request) => {
        const answer = await rawRequest(port, wire(request), 10_000, { head: request.method === 'HEAD' });
        checkAnswer(request, answer);
        const status = (answer as RawResponse).status;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      {
        numRuns: RUNS,
        examples: regressions(ctx),
        includeErrorInReport: true,
        // Replays a reported failure: DIGA_FUZZ_SEED is the "seed" fast-check printed.
        ...(process.env.DIGA_FUZZ_SEED ? { seed: Number(process.env.DIGA_FUZZ_SEED) } : {}),
      },
    );
    context.diagnostic(`fuzz [${backend}]: ${RUNS} cases, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    assert.deepEqual(serious.raw, [], 'nothing was logged as an error');
    const health = await rawRequest(port, 'GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal((health as RawResponse).status, 200, 'still serving');
  });
});

/** A phone with a published outbound agent, so that placed calls get past the checks. */
async function outboundPhone(t: TestApp): Promise<string> {
  const send = async (method: 'POST' | 'PATCH', url: string, payload: object) =>
    (await t.app.inject({ method, url, headers: { authorization: `Bearer ${t.keyA}` }, payload })).json();
  const agent = await send('POST', '/v1/agent/', { voice_id: '0f9d3d1e-6a51-4e43-9a55-0d6f4d5d2c10', language: 'es' });
  const phone = await send('POST', '/v1/phone/import', {
    phone_number: '+34910000001',
    outbound_config: { termination_uri: 'sip.example.com' },
  });
  await send('PATCH', `/v1/agent/${agent.agent_id}/published_version`, {
    version_id: agent.version_id,
    outbound_phone_number_id: phone.id,
  });
  return phone.number as string;
}

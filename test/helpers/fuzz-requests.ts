import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

/** One request as bytes on the wire: anything a client could send, well-formed or not. */
export interface FuzzRequest {
  method: string;
  target: string;
  headers: [string, string][];
  body?: Buffer;
}

export interface FuzzContext {
  callIds: string[];
  apiKey: string;
  runtimeToken: string;
  projectId: string;
  /** A phone that can place calls. */
  phoneNumber: string;
}

const ROUTES = [
  '/v1/call/',
  '/v1/call',
  '/v1/call/{id}',
  '/v1/call/{id}/message',
  '/v1/call/bulk-delete',
  '/v1/call/concurrency/stream',
  '/v1/recording/{id}',
  '/v1/recording/{id}/audio',
  '/v1/recording/bulk',
  '/v1/api_key/',
  '/v1/api_key/{id}',
  '/v1/webhook/',
  '/v1/webhook/{id}',
  '/v1/webhook/{id}/rotate',
  '/v1/webhook/{id}/deliveries',
  '/v1/webhook/{id}/deliveries/{id}/redeliver',
  '/v1/agent/',
  '/v1/agent/{id}',
  '/v1/agent/{id}/version',
  '/v1/agent/{id}/version/{id}',
  '/v1/agent/{id}/published_version',
  '/v1/phone/',
  '/v1/phone/import',
  '/v1/phone/{id}',
  '/internal/v1/events',
  '/internal/v1/calls/{id}/recording',
  '/internal/v1/dial-jobs/claim',
  '/internal/v1/dial-jobs/{id}/confirm',
  '/internal/v1/phones/{id}/inbound-route',
  '/healthz',
  '/readyz',
  '/openapi.json',
];

/** The operations that exist, each with its method. */
const OPERATIONS: [string, string][] = [
  ['GET', '/v1/call/'],
  ['GET', '/v1/call/{id}'],
  ['GET', '/v1/call/{id}/message'],
  ['POST', '/v1/call/bulk-delete'],
  ['GET', '/v1/recording/{id}'],
  ['POST', '/v1/recording/bulk'],
  ['GET', '/v1/api_key/'],
  ['POST', '/v1/api_key/'],
  ['GET', '/v1/api_key/{id}'],
  ['PATCH', '/v1/api_key/{id}'],
  ['GET', '/v1/webhook/'],
  ['POST', '/v1/webhook/'],
  ['PATCH', '/v1/webhook/{id}'],
  ['GET', '/v1/webhook/{id}/deliveries'],
  ['POST', '/internal/v1/events'],
  ['POST', '/v1/call/'],
  ['POST', '/v1/agent/'],
  ['GET', '/v1/agent/'],
  ['GET', '/v1/agent/{id}'],
  ['PATCH', '/v1/agent/{id}'],
  ['POST', '/v1/agent/{id}/version'],
  ['PATCH', '/v1/agent/{id}/published_version'],
  ['DELETE', '/v1/agent/{id}/version/{id}'],
  ['POST', '/v1/phone/import'],
  ['GET', '/v1/phone/'],
  ['PATCH', '/v1/phone/{id}'],
  // A claim's body cannot name wait_ms here (the mutations only replace parts): no long waits.
  ['POST', '/internal/v1/dial-jobs/claim'],
  ['POST', '/internal/v1/dial-jobs/{id}/confirm'],
];

const QUERY_NAMES = [
  'limit',
  'page',
  'after',
  'before',
  'order',
  'status',
  'type',
  'agent_id',
  'contact_id',
  'phone_id',
  'start_created_date',
  'end_created_date',
  'expires',
  'signature',
];

/** Text of every kind: printable, any Unicode (lone surrogates included), control characters. */
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({
      unit: fc.constantFrom('\u0000', '\u0001', '\u007f', '\ud800', '%', '/', '?', '#', ' ', '"'),
      maxLength,
    }),
  );

/** Percent-encoding, a lone surrogate (which cannot be encoded) replaced as UTF-8 decoders do. */
function encode(text: string): string {
  return encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));
}

function idSegment(ctx: FuzzContext): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...ctx.callIds),
    fc.uuid().map(String),
    fc.constantFrom(...ctx.callIds).map((id) => `%7B${id.toUpperCase()}%7D`),
    fc.constantFrom(...ctx.callIds).map((id) => `urn:uuid:${id.replaceAll('-', '')}`),
    anyText(40).map(encode),
    fc.constantFrom('%00', '%FF%FE', '..', '%2e%2e', '%2F', 'null', '-1', '0', ' ', '%E2%80%AE'),
    fc.integer({ min: 200, max: 6000 }).map((n) => 'a'.repeat(n)),
  );
}

function target(ctx: FuzzContext): fc.Arbitrary<string> {
  const path = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(fc.constantFrom(...ROUTES), fc.array(idSegment(ctx), { minLength: 2, maxLength: 2 })),
    }.arbitrary.map(([route, [a, b]]) => route.replace('{id}', a as string).replace('{id}', b as string)),
    {
      weight: 1,
      arbitrary: fc.array(anyText(12).map(encode), { maxLength: 6 }).map((s) => `/${s.join('/')}`),
    },
    { weight: 1, arbitrary: fc.constantFrom('*', '/%', '//v1//call', '/v1/call/?', 'http://evil.example/v1/call/') },
  );
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ctx.callIds) },
    { weight: 3, arbitrary: fc.integer({ min: -5, max: 2000 }).map(String) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'asc',
        'desc',
        'completed',
        'inbound',
        'outbound',
        '2026-11-20T10:00:00Z',
        '',
        '1e3',
        'NaN',
      ),
    },
    { weight: 2, arbitrary: anyText(30).map(encode) },
    // Raw bytes in the request line: mostly refused by the HTTP parser itself (400).
    { weight: 1, arbitrary: anyText(10) },
  );
  const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), anyText(8).map(encode)), value), {
    maxLength: 5,
  });
  return fc
    .tuple(path, query)
    .map(([p, q]) => (q.length === 0 ? p : `${p}?${q.map(([k, v]) => `${k}=${v}`).join('&')}`));
}

/** Valid bodies for the endpoints that take one: mutated, they probe validation in depth. */
function validBodies(ctx: FuzzContext): object[] {
  const event = {
    event_id: randomUUID(),
    project_id: ctx.projectId,
    call_id: randomUUID(),
    type: 'call.created',
    occurred_at: '2026-11-20T10:00:00Z',
    data: {
      type: 'inbound',
      contact: { identifier: '+34600111222', contact_type: 'call' },
      dynamic_variables: { a: 1 },
    },
  };
  return [
    { events: [event] },
    { events: [{ ...event, type: 'call.message', data: { role: 'user', content: 'Hola' } }] },
    { name: 'k', restricted: true, permissions: ['calls.view'] },
    { url: 'https://127.0.0.1:9/x', subscribed_events: ['status_changed'] },
    { call_ids: [ctx.callIds[0]] },
    { subscribed_events: [] },
    { from_number: ctx.phoneNumber, to_number: '+34612345678', dynamic_variables: { patient: 'Lucía' } },
    {
      name: 'a',
      voice_id: randomUUID(),
      language: 'es',
      call_tools: [{ type: 'hang_up', name: 'end' }],
      integrations: [{ integration_id: randomUUID(), tool_ids: [] }],
    },
    { version_name: 'v' },
    { version_id: null, outbound_phone_number_id: null },
    { phone_number: '+34910000077', nickname: 'n', outbound_config: { termination_uri: 'sip.example.com' } },
    { nickname: 'n', inbound_version_id: null },
    { max_jobs: 1 },
    { lease_token: 'x' },
  ];
}

function mutate(body: object, at: number, value: unknown): object {
  const copy = structuredClone(body) as Record<string, unknown>;
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) walk(v, [...path, Array.isArray(node) ? Number(k) : k]);
    }
  };
  walk(copy, []);
  const path = paths[at % paths.length] as (string | number)[];
  if (path.length === 0) return value as object;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

function body(ctx: FuzzContext): fc.Arbitrary<Buffer | undefined> {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 5 }).map(json) },
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...validBodies(ctx)), fc.nat(), fc.jsonValue({ maxDepth: 3 }))
        .map(([valid, at, value]) => json(mutate(valid, at, value))),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 10, max: 200_000 }).map((n) => Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`)),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 1_500_000 }).map((n) => json({ events: 'x'.repeat(n) })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...validBodies(ctx))
        .map((valid) => Buffer.concat([json(valid).subarray(0, -2), Buffer.from([0xff, 0xfe, 0x00, 0x22, 0x7d])])),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{"name":"a\u0000b","restricted":false}',
          '{"events":[{"event_id":"\\u0000"}]}',
          '{"url":"https://h.example/\\u0000","subscribed_events":[]}',
        )
        .map((s) => Buffer.from(s)),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: anyText(200).map((s) => Buffer.from(s)) },
  );
}

function headers(ctx: FuzzContext): fc.Arbitrary<[string, string][]> {
  const authorization = fc.oneof(
    fc.constant(`Bearer ${ctx.apiKey}`),
    fc.constant(`Bearer ${ctx.runtimeToken}`),
    fc.constant(`bearer   ${ctx.apiKey}  `),
    fc.constantFrom(`Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer', 'Bearer sk-', `Bearer ${ctx.apiKey}x`),
    fc.string({ unit: fc.constantFrom('a', 'B', ' ', '-', '9', '\t', 'é'), maxLength: 80 }),
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'text/plain',
    'audio/wav',
    'audio/mpeg',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
    ';;;',
  );
  // Header values without CR or LF: a raw newline would make a different request, not a bad one.
  const token = fc.string({ unit: fc.constantFrom('a', 'z', '-', '_', '1', '!', '~'), minLength: 1, maxLength: 20 });
  const value = fc.oneof(
    { weight: 5, arbitrary: fc.string({ unit: fc.constantFrom('a', ' ', '\t', '"', ';', '='), maxLength: 100 }) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', 'ñ', '\u00ff', '\u0000'), maxLength: 20 }) },
  );
  return fc
    .tuple(
      fc.option(authorization, { freq: 4 }),
      fc.option(contentType, { freq: 3 }),
      fc.array(fc.tuple(token, value), { maxLength: 2 }),
      fc.option(fc.constantFrom('bytes=0-10', 'bytes=-5', 'bytes=999999-', 'bytes=5-1', 'items=0-1')),
      fc.option(fc.constantFrom('https://app.example', 'null')),
    )
    .map(([auth, type, extra, range, origin]) => {
      const list: [string, string][] = [];
      if (auth !== null) list.push(['Authorization', auth]);
      if (type !== null) list.push(['Content-Type', type]);
      if (range !== null) list.push(['Range', range]);
      if (origin !== null) list.push(['Origin', origin]);
      return [...list, ...extra];
    });
}

/**
 * Two kinds of request, half and half: wild ones (anything on the wire), and plausible ones (an
 * operation that exists, a real credential, JSON, a valid body with one part replaced) that get
 * past the HTTP parser and authentication into validation and the handlers.
 */
export function fuzzRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const method = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE') },
    { weight: 1, arbitrary: fc.constantFrom('PUT', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'get') },
  );
  const wild = fc.record({ method, target: target(ctx), headers: headers(ctx), body: body(ctx) });
  const plausible = fc
    .tuple(
      fc.constantFrom(...OPERATIONS),
      fc.array(idSegment(ctx), { minLength: 2, maxLength: 2 }),
      target(ctx),
      fc.constantFrom(ctx.apiKey, ctx.runtimeToken),
      fc.option(fc.tuple(fc.constantFrom(...validBodies(ctx)), fc.nat(), fc.jsonValue({ maxDepth: 3 })), {
        nil: undefined,
      }),
    )
    .map(([[verb, route], [a, b], other, credential, mutation]) => ({
      method: verb,
      target: route.replace('{id}', a as string).replace('{id}', b as string) + (/\?.*$/.exec(other)?.[0] ?? ''),
      headers: [
        ['Authorization', `Bearer ${credential}`],
        ['Content-Type', 'application/json'],
      ] as [string, string][],
      body: mutation && Buffer.from(JSON.stringify(mutate(...mutation)) ?? 'null'),
    }));
  return fc
    .oneof(wild, plausible)
    .map((r) =>
      r.body === undefined ? { method: r.method, target: r.target, headers: r.headers } : (r as FuzzRequest),
    );
}

/** The request's bytes: HTTP/1.1 with Connection: close and a correct Content-Length. */
export function wire(request: FuzzRequest): Buffer {
  const head = [
    `${request.method} ${request.target} HTTP/1.1`,
    'Host: fuzz.test',
    'Connection: close',
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
    ...(request.body === undefined ? [] : [`Content-Length: ${request.body.length}`]),
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'utf8'), request.body ?? Buffer.alloc(0)]);
}

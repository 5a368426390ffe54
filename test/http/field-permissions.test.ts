import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Permission } from '../../src/contract/api-keys.js';
import { describeEachBackend } from '../helpers/backends.js';
import { buildTestApp, postEvents, uploadRecording, type TestApp } from '../helpers/app.js';
import { callEvents } from '../helpers/events.js';
import { Receiver, type Received } from '../helpers/receiver.js';
import { toneWav } from '../../src/demo/wav.js';
import { verifyDigaSignature } from '../../examples/verify-diga-signature.js';

/**
 * A recording_url downloads the audio, which GET /v1/recording/{id} guards with recordings.view:
 * every answer that carries one shows it only to a key holding that permission, whichever route
 * answers. The routes are found by walking /openapi.json, so a new route with a call body fails
 * here until it is in READERS.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The keys of the matrix: each route's own permission, with and without recordings.view. */
const KEYS: Record<string, Permission[] | null> = {
  unrestricted: null,
  'calls.view': ['calls.view'],
  'calls.view + recordings.view': ['calls.view', 'recordings.view'],
  'calls.create': ['calls.create'],
  'calls.create + recordings.view': ['calls.create', 'recordings.view'],
  'recordings.view': ['recordings.view'],
};

const EXTERNAL_URL = 'https://media.example/external.mp3';
const SIGNED = /^http:\/\/[^/]+\/v1\/recording\/([0-9a-f-]{36})\/audio\?expires=\d+&signature=[0-9a-f]{64}$/;
const FROM = '+34910000321';

/** Whether a schema of the document (refs followed) can hold a `field` property at any depth. */
function carries(doc: Json, schema: Json | undefined, field: string, seen = new Set<string>()): boolean {
  if (schema === undefined || schema === null || typeof schema !== 'object') return false;
  if (typeof schema.$ref === 'string') {
    if (seen.has(schema.$ref)) return false;
    seen.add(schema.$ref);
    const name = schema.$ref.replace('#/components/schemas/', '');
    return carries(doc, doc.components.schemas[name], field, seen);
  }
  if (schema.properties && field in schema.properties) return true;
  const nested = [
    ...Object.values((schema.properties ?? {}) as Json),
    schema.items,
    schema.additionalProperties,
    ...((schema.allOf ?? []) as Json[]),
    ...((schema.anyOf ?? []) as Json[]),
    ...((schema.oneOf ?? []) as Json[]),
  ];
  return nested.some((s) => carries(doc, s as Json, field, seen));
}

describeEachBackend('field permissions: recording_url only for keys with recordings.view', (backend) => {
  let t: TestApp;
  let base: string;
  const keys = new Map<string, string>();
  /** Calls of project A: audio stored here, a runtime's URL, and one placed through POST /v1/call/. */
  let stored: string;
  let external: string;
  let placed: { id: string; idempotencyKey: string; body: Json };
  const shown = new Receiver();
  const hidden = new Receiver();

  before(async () => {
    await Promise.all([shown.start(), hidden.start()]);
    t = await buildTestApp({
      backend,
      webhooks: {
        policy: { allowHttp: true, allowedHosts: new Set(['127.0.0.1']) },
        delivery: { timeoutMs: 3000, retryWindowMs: 60_000, backoffBaseMs: 20, pollMs: 20, concurrency: 4 },
      },
    });
    for (const [name, permissions] of Object.entries(KEYS)) keys.set(name, await t.keyFor(t.projectA, permissions));

    const s = callEvents(t.projectA);
    const e = callEvents(t.projectA);
    const reported = await postEvents(t.app, t.runtimeToken, [
      s.created(0),
      s.ended(20),
      e.created(0),
      e.ended(20),
      e.recording(25, EXTERNAL_URL),
    ]);
    assert.equal(reported.statusCode, 200, reported.body);
    stored = s.callId;
    external = e.callId;
    await uploadRecording(t, stored, toneWav(0.2));

    await outboundSetup();
    const body = { from_number: FROM, to_number: '+34612000321' };
    const idempotencyKey = `field-permissions-${randomUUID()}`;
    const first = await t.api.post('/v1/call/', body, { headers: { 'idempotency-key': idempotencyKey } });
    assert.equal(first.statusCode, 201, first.body);
    placed = { id: first.json().id, idempotencyKey, body };
    await uploadRecording(t, placed.id, toneWav(0.2));

    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await t.close();
    await Promise.all([shown.stop(), hidden.stop()]);
  });

  /** An agent version published on an outbound phone of project A, so POST /v1/call/ places calls. */
  async function outboundSetup() {
    const agent = (
      await t.api.post('/v1/agent/', {
        name: 'Citas',
        voice_id: '0f9d3d1e-6a51-4e43-9a55-0d6f4d5d2c10',
        language: 'es',
        greeting: 'Hola.',
      })
    ).json();
    const phone = (
      await t.api.post('/v1/phone/import', {
        phone_number: FROM,
        outbound_config: { termination_uri: 'trunk.example.com', username: 'acme', password: 'trunk-secret' },
      })
    ).json();
    const published = await t.api.patch(`/v1/agent/${agent.agent_id}/published_version`, {
      version_id: agent.version_id,
      outbound_phone_number_id: phone.id,
    });
    assert.equal(published.statusCode, 200, published.body);
  }

  /** What one key was answered on one route: its status, and the recording_url of each call shown. */
  interface Seen {
    status: number;
    urls: Map<string, string | null>;
  }
  const seenOf = (status: number, bodies: Json[]): Seen => ({
    status,
    urls: new Map(bodies.map((body) => [body.id as string, body.recording_url as string | null])),
  });

  /** How each route of the document whose answer holds a recording_url is read, by key. */
  const READERS: Record<string, (key: string) => Promise<Seen[]>> = {
    'GET /v1/call/': async (key) => {
      const r = await t.api.get('/v1/call/?limit=100', { key });
      return [seenOf(r.statusCode, r.statusCode === 200 ? r.json().data : [])];
    },
    'GET /v1/call/{id}': async (key) => {
      const seen: Seen[] = [];
      for (const id of [stored, external, placed.id]) {
        // Through Fastify (inject), then twice over a socket: the first request caches the key,
        // the second is answered by the fast path (call-fast-path.ts).
        const routed = await t.api.get(`/v1/call/${id}`, { key });
        seen.push(seenOf(routed.statusCode, routed.statusCode === 200 ? [routed.json()] : []));
        for (let i = 0; i < 2; i++) {
          const r = await fetch(`${base}/v1/call/${id}`, { headers: { authorization: `Bearer ${key}` } });
          seen.push(seenOf(r.status, r.status === 200 ? [(await r.json()) as Json] : []));
        }
      }
      return seen;
    },
    'POST /v1/call/': async (key) => {
      const r = await t.api.post('/v1/call/', placed.body, {
        key,
        headers: { 'idempotency-key': placed.idempotencyKey },
      });
      if (r.statusCode === 201) assert.equal(r.headers['idempotent-replayed'], 'true');
      return [seenOf(r.statusCode, r.statusCode === 201 ? [r.json()] : [])];
    },
    'GET /v1/recording/{call_id}': async (key) => {
      const seen: Seen[] = [];
      for (const id of [stored, external, placed.id]) {
        const r = await t.api.get(`/v1/recording/${id}`, { key });
        seen.push(seenOf(r.statusCode, r.statusCode === 200 ? [{ id, ...r.json() }] : []));
      }
      return seen;
    },
  };

  test('every route of /openapi.json whose answer can hold a recording_url is in the matrix', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as Json;
    const found: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths as Json)) {
      for (const [method, operation] of Object.entries(operations as Json)) {
        const answers = Object.entries((operation.responses ?? {}) as Json).filter(([status]) => /^2/.test(status));
        const schemas = answers.flatMap(([, answer]) =>
          Object.values((answer.content ?? {}) as Json).map((media) => media.schema as Json),
        );
        if (schemas.some((schema) => carries(doc, schema, 'recording_url')))
          found.push(`${method.toUpperCase()} ${path}`);
      }
    }
    assert.deepEqual(found.sort(), Object.keys(READERS).sort());
  });

  for (const route of ['GET /v1/call/', 'GET /v1/call/{id}', 'POST /v1/call/', 'GET /v1/recording/{call_id}']) {
    test(`${route}: each key sees a recording_url only with recordings.view`, async () => {
      let answered = { with: 0, without: 0 };
      for (const [name, permissions] of Object.entries(KEYS)) {
        const mayListen = permissions === null || permissions.includes('recordings.view');
        for (const seen of await (READERS[route] as (key: string) => Promise<Seen[]>)(keys.get(name) as string)) {
          if (seen.status === 403) continue; // the route's own permission is missing: nothing shown
          assert.ok([200, 201].includes(seen.status), `${name}: ${seen.status}`);
          assert.ok(seen.urls.size > 0, `${name}: no call in the answer`);
          for (const [id, url] of seen.urls) {
            if (![stored, external, placed.id].includes(id)) continue;
            if (!mayListen) {
              assert.equal(url, null, `${name} sees the recording of ${id} on ${route}`);
              continue;
            }
            if (id === external) assert.equal(url, EXTERNAL_URL, `${name} on ${route}`);
            else assert.equal(SIGNED.exec(url ?? '')?.[1], id, `${name} gets ${url} for ${id} on ${route}`);
          }
          answered = mayListen
            ? { ...answered, with: answered.with + 1 }
            : { ...answered, without: answered.without + 1 };
        }
      }
      assert.ok(answered.with > 0, 'some key with recordings.view reached the route');
      // GET /v1/recording/{call_id} is the permission itself: no key without it gets an answer.
      if (route !== 'GET /v1/recording/{call_id}') assert.ok(answered.without > 0, 'some key without it did too');
      else assert.equal(answered.without, 0);
    });
  }

  test('webhook deliveries show recording_url only when the key that set the URL may see recordings', async () => {
    const createAs = async (name: Permission[], receiver: Receiver) => {
      const key = await t.keyFor(t.projectA, name);
      const r = await t.api.post('/v1/webhook/', { url: receiver.url, subscribed_events: ['status_changed'] }, { key });
      assert.equal(r.statusCode, 200, r.body);
      return r.json() as { id: string; secret: string };
    };
    const withRecordings = await createAs(['webhooks.create', 'recordings.view'], shown);
    const without = await createAs(['webhooks.create'], hidden);

    const ended = async () => {
      const c = callEvents(t.projectA);
      const r = await postEvents(t.app, t.runtimeToken, [c.created(0), c.recording(10, EXTERNAL_URL), c.ended(20)]);
      assert.equal(r.statusCode, 200, r.body);
      return c.callId;
    };
    const endedEvent = async (receiver: Receiver, callId: string, secret: string) => {
      const isIt = (r: Received) =>
        JSON.parse(r.body).data.id === callId && JSON.parse(r.body).data.status === 'completed';
      await receiver.until((all) => all.some(isIt));
      const received = receiver.received.find(isIt) as Received;
      assert.ok(
        verifyDigaSignature(received.body, received.headers['diga-signature'] as string, secret),
        'signed as sent',
      );
      return JSON.parse(received.body).data as Json;
    };

    let callId = await ended();
    assert.equal((await endedEvent(shown, callId, withRecordings.secret)).recording_url, EXTERNAL_URL);
    assert.equal((await endedEvent(hidden, callId, without.secret)).recording_url, null);

    // Whoever sets the URL decides: a key without recordings.view moving the first webhook hides
    // them there; one with it moving the second shows them. Changing only the events changes nothing.
    const patchAs = async (permissions: Permission[], id: string, body: Json) => {
      const r = await t.api.patch(`/v1/webhook/${id}`, body, { key: await t.keyFor(t.projectA, permissions) });
      assert.equal(r.statusCode, 200, r.body);
    };
    await patchAs(['webhooks.update'], withRecordings.id, { url: `${hidden.url}?moved` });
    await patchAs(['webhooks.update', 'recordings.view'], without.id, { url: `${shown.url}?moved` });
    await patchAs(['webhooks.update'], without.id, { subscribed_events: ['status_changed'] });
    shown.received.length = 0;
    hidden.received.length = 0;
    callId = await ended();
    assert.equal((await endedEvent(hidden, callId, withRecordings.secret)).recording_url, null);
    assert.equal((await endedEvent(shown, callId, without.secret)).recording_url, EXTERNAL_URL);
  });
});

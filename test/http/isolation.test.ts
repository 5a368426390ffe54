import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { buildTestApp, postEvents, type TestApp, uploadRecording } from '../helpers/app.js';
import { describeEachBackend } from '../helpers/backends.js';
import { callEvents } from '../helpers/events.js';
import { pollUntil } from '../helpers/poll.js';
import { Receiver } from '../helpers/receiver.js';
import { seedCalls, type KnownCall } from '../helpers/seeded-calls.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * Tenant isolation, endpoint by endpoint: project A's key against each of project B's resources
 * answers byte for byte as against an id that never existed (ids masked, request id and date
 * aside), and B's resources are untouched afterwards. Listings never show B's rows, whatever
 * the filters (a property over random filter combinations).
 */
describeEachBackend('tenant isolation matrix', (backend) => {
  let t: TestApp;
  let receiver: Receiver;
  const b = {
    call: '',
    agent: '',
    phone: '',
    contact: '',
    key: '',
    hook: '',
    delivery: '',
    secret: '',
    // B's own agent (its version 1 published on B's phone), for the agent and phone endpoints.
    ownAgent: '',
    version: '',
    ownPhone: '',
  };
  let ownHook = '';
  let callsA: KnownCall[] = [];
  let callsB: KnownCall[] = [];

  const ask = async (method: Method, url: string, payload?: object, key = t.keyA): Promise<Answer> => {
    const response = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload ? { payload } : {}),
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  };
  const masked = (answer: Answer, ids: string[]): Answer => {
    let body = answer.body;
    for (const id of ids) body = body.replaceAll(id, '<id>');
    const { 'x-request-id': _id, date: _date, ...headers } = answer.headers;
    return { status: answer.status, headers, body };
  };

  before(async () => {
    receiver = await new Receiver().start();
    t = await buildTestApp({
      backend,
      webhooks: {
        policy: { allowHttp: true, allowedHosts: new Set(['127.0.0.1']) },
        delivery: { timeoutMs: 3000, retryWindowMs: 60_000, backoffBaseMs: 20, pollMs: 20, concurrency: 4 },
      },
    });
    await t.app.ready();
    callsA = await seedCalls(t.app, t.runtimeToken, t.projectA, 12);
    callsB = await seedCalls(t.app, t.runtimeToken, t.projectB, 12, { offsetMs: 1800_000 });

    const hookB = await ask(
      'POST',
      '/v1/webhook/',
      { url: receiver.url, subscribed_events: ['status_changed'] },
      t.keyB,
    );
    ({ id: b.hook, secret: b.secret } = JSON.parse(hookB.body) as { id: string; secret: string });
    ownHook = (
      JSON.parse((await ask('POST', '/v1/webhook/', { url: receiver.url, subscribed_events: [] })).body) as {
        id: string;
      }
    ).id;

    // B's call: agent, phone, transcript, an uploaded recording, a webhook delivery.
    b.agent = randomUUID();
    b.phone = randomUUID();
    const e = callEvents(t.projectB);
    b.call = e.callId;
    const reported = await postEvents(t.app, t.runtimeToken, [
      e.created(0, { agent_id: b.agent, phone_register_id: b.phone }),
      e.answered(2),
      e.message(3, 'user', 'Hola, soy de B'),
      e.ended(30),
    ]);
    assert.equal(reported.statusCode, 200, reported.body);
    await uploadRecording(t, b.call, Buffer.alloc(2048, 1));
    b.contact = (
      JSON.parse((await ask('GET', `/v1/call/${b.call}`, undefined, t.keyB)).body) as { contact: { id: string } }
    ).contact.id;
    b.key = (
      JSON.parse((await ask('GET', '/v1/api_key/', undefined, t.keyB)).body) as { data: { id: string }[] }
    ).data[0]!.id;
    const deliveries = async () =>
      (
        JSON.parse((await ask('GET', `/v1/webhook/${b.hook}/deliveries`, undefined, t.keyB)).body) as {
          data: { id: string }[];
        }
      ).data;
    b.delivery = (await pollUntil('B has a webhook delivery', deliveries, (log) => log.length > 0))[0]!.id;

    const agentB = JSON.parse(
      (await ask('POST', '/v1/agent/', { name: 'B', voice_id: randomUUID(), language: 'es' }, t.keyB)).body,
    ) as { agent_id: string; version_id: string };
    const phoneB = JSON.parse(
      (
        await ask(
          'POST',
          '/v1/phone/import',
          { phone_number: '+34919999999', outbound_config: { termination_uri: 'sip.b.example' } },
          t.keyB,
        )
      ).body,
    ) as { id: string };
    b.ownAgent = agentB.agent_id;
    b.version = agentB.version_id;
    b.ownPhone = phoneB.id;
    const published = await ask(
      'PATCH',
      `/v1/agent/${b.ownAgent}/published_version`,
      { version_id: b.version, outbound_phone_number_id: b.ownPhone },
      t.keyB,
    );
    assert.equal(published.status, 200, published.body);
  });
  after(async () => {
    await t.close();
    await receiver.stop();
  });

  test('each of B’s resources answers A exactly as one that never existed', async () => {
    const cases: [string, Method, string, (id: string) => string, ((id: string) => object)?][] = [
      ['call', 'GET', b.call, (id) => `/v1/call/${id}`],
      ['transcript', 'GET', b.call, (id) => `/v1/call/${id}/message`],
      ['transcript, ascending', 'GET', b.call, (id) => `/v1/call/${id}/message?order=asc&limit=5`],
      ['recording', 'GET', b.call, (id) => `/v1/recording/${id}`],
      ['bulk recordings', 'POST', b.call, () => '/v1/recording/bulk', (id) => ({ call_ids: [id] })],
      ['bulk delete', 'POST', b.call, () => '/v1/call/bulk-delete', (id) => ({ call_ids: [id] })],
      ['list after', 'GET', b.call, (id) => `/v1/call/?after=${id}`],
      ['list before', 'GET', b.call, (id) => `/v1/call/?before=${id}`],
      ['agent filter', 'GET', b.agent, (id) => `/v1/call/?agent_id=${id}`],
      ['phone filter', 'GET', b.phone, (id) => `/v1/call/?phone_id=${id}`],
      ['contact filter', 'GET', b.contact, (id) => `/v1/call/?contact_id=${id}`],
      ['API key', 'GET', b.key, (id) => `/v1/api_key/${id}`],
      ['API key update', 'PATCH', b.key, (id) => `/v1/api_key/${id}`, () => ({ name: 'taken over' })],
      ['API key delete', 'DELETE', b.key, (id) => `/v1/api_key/${id}`],
      ['webhook', 'GET', b.hook, (id) => `/v1/webhook/${id}`],
      ['webhook update', 'PATCH', b.hook, (id) => `/v1/webhook/${id}`, () => ({ subscribed_events: [] })],
      ['webhook rotate', 'POST', b.hook, (id) => `/v1/webhook/${id}/rotate`],
      ['webhook deliveries', 'GET', b.hook, (id) => `/v1/webhook/${id}/deliveries`],
      ['webhook delete', 'DELETE', b.hook, (id) => `/v1/webhook/${id}`],
      ['redeliver B’s delivery', 'POST', b.delivery, (id) => `/v1/webhook/${b.hook}/deliveries/${id}/redeliver`],
      ['agent', 'GET', b.ownAgent, (id) => `/v1/agent/${id}`],
      ['agent update', 'PATCH', b.ownAgent, (id) => `/v1/agent/${id}`, () => ({ prompt: 'taken over' })],
      ['agent delete', 'DELETE', b.ownAgent, (id) => `/v1/agent/${id}`],
      ['agent versions', 'GET', b.ownAgent, (id) => `/v1/agent/${id}/version`],
      ['launch a version', 'POST', b.ownAgent, (id) => `/v1/agent/${id}/version`, () => ({})],
      ['unpublish', 'PATCH', b.ownAgent, (id) => `/v1/agent/${id}/published_version`, () => ({ version_id: null })],
      ['version delete', 'DELETE', b.version, (id) => `/v1/agent/${b.ownAgent}/version/${id}`],
      ['version as a filter', 'GET', b.version, (id) => `/v1/agent/${b.ownAgent}?version_id=${id}`],
      ['phone', 'GET', b.ownPhone, (id) => `/v1/phone/${id}`],
      ['phone update', 'PATCH', b.ownPhone, (id) => `/v1/phone/${id}`, () => ({ nickname: 'taken over' })],
      ['phone release', 'DELETE', b.ownPhone, (id) => `/v1/phone/${id}`],
      ['phone by agent', 'GET', b.ownAgent, (id) => `/v1/phone/?outbound_agent_id=${id}`],
      [
        'call from B’s phone',
        'POST',
        b.ownPhone,
        () => '/v1/call/',
        (id) => ({ from_number: id, to_number: '+34612345678' }),
      ],
      [
        'call with B’s version',
        'POST',
        b.version,
        () => '/v1/call/',
        (id) => ({ from_number: '+34919999999', to_number: '+34612345678', agent_version_id: id }),
      ],
      [
        'redeliver B’s delivery on A’s hook',
        'POST',
        b.delivery,
        (id) => `/v1/webhook/${ownHook}/deliveries/${id}/redeliver`,
      ],
    ];
    for (const [what, method, theirs, url, body] of cases) {
      const never = randomUUID();
      const foreign = await ask(method, url(theirs), body?.(theirs));
      const absent = await ask(method, url(never), body?.(never));
      assert.deepEqual(masked(foreign, [theirs]), masked(absent, [never]), `${what}: ${method} ${url(theirs)}`);
      assert.ok(foreign.status === 200 || foreign.status >= 400, what);
      if (foreign.status === 200) assert.doesNotMatch(foreign.body, new RegExp(theirs), `${what} shows nothing of B`);
    }

    // B still has everything A tried to read, change or delete.
    const asB = (url: string) => ask('GET', url, undefined, t.keyB);
    assert.equal((await asB(`/v1/call/${b.call}`)).status, 200);
    assert.equal((await asB(`/v1/call/${b.call}/message`)).status, 200);
    assert.equal((await asB(`/v1/recording/${b.call}`)).status, 200);
    const key = JSON.parse((await asB(`/v1/api_key/${b.key}`)).body) as { name: string };
    assert.equal(key.name, 'B');
    const hook = await asB(`/v1/webhook/${b.hook}`);
    assert.equal(hook.status, 200);
    assert.deepEqual((JSON.parse(hook.body) as { subscribed_events: string[] }).subscribed_events, ['status_changed']);
    const agent = JSON.parse((await asB(`/v1/agent/${b.ownAgent}?is_published=true`)).body) as {
      version_id: string;
      prompt: string | null;
    };
    assert.deepEqual([agent.version_id, agent.prompt], [b.version, null], 'B’s agent unchanged and still published');
    const phone = JSON.parse((await asB(`/v1/phone/${b.ownPhone}`)).body) as { nickname: string | null };
    assert.equal(phone.nickname, null);
    const calls = JSON.parse((await asB(`/v1/call/?phone_id=${b.ownPhone}`)).body) as { data: unknown[] };
    assert.equal(calls.data.length, 0, 'A placed no call from B’s phone');
  });

  test('listings never return another project’s rows, whatever the filters', async () => {
    const ownIds = new Set(callsA.map((c) => c.id));
    const anyOf = <T>(values: T[]) => fc.constantFrom(...values);
    const everyone = [...callsA, ...callsB];
    const filter = fc.record(
      {
        status: anyOf(['dialing', 'in_progress', 'completed', 'failed', 'transferred', 'no_answer']),
        type: anyOf(['inbound', 'outbound']),
        agent_id: anyOf([...everyone.map((c) => c.agentId), b.agent]),
        phone_id: anyOf([...everyone.map((c) => c.phoneId), b.phone]),
        contact_id: anyOf([b.contact, randomUUID()]),
        start_created_date: anyOf(['2026-10-01T00:00:00Z', '2026-11-01T02:00:00Z']),
        end_created_date: anyOf(['2026-11-30T00:00:00Z', '2026-11-01T05:30:00Z']),
        order: anyOf(['asc', 'desc']),
        limit: fc.integer({ min: 1, max: 1000 }),
        page: fc.integer({ min: 1, max: 3 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filter, async (query) => {
        const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
        const answer = await ask('GET', `/v1/call/?${search}`);
        assert.equal(answer.status, 200, answer.body);
        for (const row of (JSON.parse(answer.body) as { data: { id: string; contact: { id: string } }[] }).data) {
          assert.ok(ownIds.has(row.id), `B's call ${row.id} listed for ${search}`);
          assert.notEqual(row.contact.id, b.contact);
        }
      }),
      { numRuns: 60 },
    );
    for (const url of ['/v1/api_key/?limit=1000', '/v1/webhook/?limit=1000']) {
      const body = (await ask('GET', url)).body;
      assert.doesNotMatch(body, new RegExp(`${b.key}|${b.hook}|${b.secret}`), url);
    }
  });
});

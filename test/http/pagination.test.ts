import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { describeEachBackend } from '../helpers/backends.js';
import { buildTestApp, postEvents, type TestApp } from '../helpers/app.js';
import { assertMatchesReference } from '../helpers/contract.js';
import { callEvents } from '../helpers/events.js';
import { seedCalls, type KnownCall } from '../helpers/seeded-calls.js';
import { withDbInstants } from '../../src/store/dialect.js';
import { nowMicros } from '../../src/kernel/time.js';

const VOICE = '0f9d3d1e-6a51-4e43-9a55-0d6f4d5d2c10';

/**
 * One list endpoint with one set of filters: `matching` is what the test knows matches, `id`
 * names the field an item is known by (agents by agent_id, versions by version_id).
 */
interface Case {
  name: string;
  path: () => string;
  filter: () => string;
  matching: () => string[];
  id?: string;
  /** The reference's schema of the page, where the reference has one. */
  schema?: string;
}

/**
 * Every list endpoint, each of its filters: the page numbers, has_more and the items of page
 * mode, and a cursor walk, all agree with the matching items alone. The listing's count and its
 * page were once built apart, so a filter could narrow the page but not the count.
 */
describeEachBackend('list filters agree with page counts and cursor walks', (backend) => {
  let t: TestApp;
  let calls: KnownCall[];
  const callAgents = [randomUUID(), randomUUID()];
  const callPhones = [randomUUID(), randomUUID(), randomUUID()];
  const contactOf = new Map<string, string>();
  let createdCut: string;
  const messages = { talky: [] as string[], quiet: [] as string[], talkyCall: '', quietCall: '' };
  const apiKeys: { live: string[] } = { live: [] };
  const webhooks: string[] = [];
  const deliveries = { first: [] as string[], second: [] as string[], hook: '' };
  const agents = {
    free: [] as string[],
    path: [] as string[],
    published: [] as string[],
    publishedPath: [] as string[],
  };
  const versions = { agent: '', free: [] as string[], path: [] as string[], published: '' };
  const phones = {
    all: [] as string[],
    inboundX: [] as string[],
    outboundX: [] as string[],
    inboundY: [] as string[],
    agentX: '',
    agentY: '',
    afterCut: [] as string[],
    beforeCut: [] as string[],
    cut: '',
  };

  async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, key = t.keyA) {
    const response = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload ? { payload } : {}),
    });
    assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.body === '' || response.body === 'null' ? undefined : response.json();
  }

  before(async () => {
    t = await buildTestApp({
      backend,
      webhooks: { policy: { allowHttp: true, allowedHosts: new Set(['127.0.0.1']) }, resolve: async () => [] },
    });

    // Calls: project B shares A's agents and phones, so a filter alone never reaches B's calls.
    calls = await seedCalls(t.app, t.runtimeToken, t.projectA, 14, { agents: callAgents, phones: callPhones });
    await seedCalls(t.app, t.runtimeToken, t.projectB, 6, { agents: callAgents, phones: callPhones });
    const listed = await call('GET', '/v1/call/?limit=100');
    for (const c of listed.data as { id: string; contact: { id: string } }[]) contactOf.set(c.id, c.contact.id);
    const sortedMs = calls.map((c) => c.createdMs).sort((a, b) => a - b);
    createdCut = new Date(sortedMs[Math.floor(sortedMs.length / 2)] as number).toISOString();

    // Messages: a talky call and a quiet one, in the same project.
    const talky = callEvents(t.projectA);
    const quiet = callEvents(t.projectA);
    messages.talkyCall = talky.callId;
    messages.quietCall = quiet.callId;
    const talkyLines = [1, 2, 3, 4, 5].map((i) => talky.message(i, i % 2 ? 'user' : 'assistant', `t${i}`));
    const quietLines = [1, 2].map((i) => quiet.message(i, 'user', `q${i}`));
    messages.talky = talkyLines.map((e) => e.event_id);
    messages.quiet = quietLines.map((e) => e.event_id);
    const posted = await postEvents(t.app, t.runtimeToken, [
      talky.created(0),
      quiet.created(0),
      ...talkyLines,
      ...quietLines,
    ]);
    assert.equal(posted.statusCode, 200, posted.body);
    for (const callId of [talky.callId, quiet.callId]) {
      const createdMs = Date.parse('2026-11-20T10:00:00Z');
      calls.push({ id: callId, createdMs, status: 'dialing', type: 'inbound', agentId: '', phoneId: '', caller: '' });
    }

    // API keys: A has its own key, three more and one revoked; B has its own.
    apiKeys.live.push(...(await call('GET', '/v1/api_key/?limit=100')).data.map((k: { id: string }) => k.id));
    for (const name of ['one', 'two', 'three', 'gone']) {
      const key = await call('POST', '/v1/api_key/', { name, restricted: false });
      if (name === 'gone') await call('DELETE', `/v1/api_key/${key.id}`);
      else apiKeys.live.push(key.id);
    }
    await call('POST', '/v1/api_key/', { name: 'of B', restricted: false }, t.keyB);

    // Webhooks: three of A, two of B; deliveries of two of A's hooks.
    for (let i = 0; i < 3; i++) {
      const hook = await call('POST', '/v1/webhook/', {
        url: `http://127.0.0.1:9/a${i}`,
        subscribed_events: ['status_changed'],
      });
      webhooks.push(hook.id);
    }
    for (let i = 0; i < 2; i++)
      await call(
        'POST',
        '/v1/webhook/',
        { url: `http://127.0.0.1:9/b${i}`, subscribed_events: ['status_changed'] },
        t.keyB,
      );
    deliveries.hook = webhooks[0] as string;
    const base = nowMicros();
    const rows = [0, 1, 2, 3, 4, 5].map((i) => ({
      id: randomUUID(),
      webhook_id: i % 2 === 0 ? (webhooks[0] as string) : (webhooks[1] as string),
      project_id: t.projectA,
      event_id: randomUUID(),
      attempt: 1,
      status_code: 200,
      latency_ms: 5,
      error: null,
      created_date: base + i,
    }));
    for (const row of rows) {
      (row.webhook_id === deliveries.hook ? deliveries.first : deliveries.second).push(row.id);
      await t.store.db
        .insertInto('webhook_deliveries')
        .values(withDbInstants(t.store.db, row, ['created_date']))
        .execute();
    }

    // Agents: free and path ones, some published (bound to a phone), some of project B.
    const newAgent = async (mode: 'free' | 'path', key = t.keyA) =>
      call(
        'POST',
        '/v1/agent/',
        {
          name: `${mode} agent`,
          voice_id: VOICE,
          language: 'es',
          ...(mode === 'path' ? { mode, conversational_path_id: randomUUID() } : {}),
        },
        key,
      );
    let numbers = 0;
    const publish = async (versionId: string) => {
      const phone = await call('POST', '/v1/phone/import', { phone_number: `+3491000000${numbers++}` });
      await call('PATCH', `/v1/phone/${phone.id}`, { inbound_version_id: versionId });
      return phone.id as string;
    };
    const published: string[] = [];
    for (const mode of ['free', 'path', 'free', 'path', 'free'] as const) {
      const agent = await newAgent(mode);
      agents[mode].push(agent.agent_id);
      if (agents[mode].length === 1) {
        published.push(await publish(agent.version_id));
        agents.published.push(agent.agent_id);
        if (mode === 'path') agents.publishedPath.push(agent.agent_id);
      }
    }
    await newAgent('path', t.keyB);
    await newAgent('free', t.keyB);

    // Agent versions: draft and v1 free, then the draft turns path and is launched as v2.
    const versioned = await newAgent('free');
    agents.free.push(versioned.agent_id);
    versions.agent = versioned.agent_id;
    const draftId = (await call('GET', `/v1/agent/${versioned.agent_id}`)).version_id as string;
    versions.free.push(versioned.version_id);
    await call('PATCH', `/v1/agent/${versioned.agent_id}`, { mode: 'path', conversational_path_id: randomUUID() });
    const v2 = await call('POST', `/v1/agent/${versioned.agent_id}/version`, { version_name: 'path' });
    versions.path.push(draftId, v2.version_id);
    versions.published = versioned.version_id;
    published.push(await publish(versioned.version_id));
    agents.published.push(versioned.agent_id);
    // Its draft is path now: a draft listing by mode shows it among the path agents.
    agents.free.pop();
    agents.path.push(versioned.agent_id);

    // Phones: bound to agent X or Y inbound or outbound, some assigned after a cut, some of B.
    // Binding publishes X (free) and Y (path).
    phones.agentX = agents.free[1] as string;
    phones.agentY = agents.path[1] as string;
    agents.published.push(phones.agentX, phones.agentY);
    agents.publishedPath.push(phones.agentY);
    const xVersion = (await call('GET', `/v1/agent/${phones.agentX}/version?limit=10`)).data.find(
      (v: { version_number: number }) => v.version_number === 1,
    ).version_id;
    const yVersion = (await call('GET', `/v1/agent/${phones.agentY}/version?limit=10`)).data.find(
      (v: { version_number: number }) => v.version_number === 1,
    ).version_id;
    phones.all.push(...published);
    phones.beforeCut.push(...published);
    const plan = [
      { inbound: xVersion, outbound: null },
      { inbound: null, outbound: xVersion },
      { inbound: yVersion, outbound: xVersion },
      { inbound: null, outbound: null },
      { inbound: null, outbound: null },
    ];
    for (const [i, bind] of plan.entries()) {
      if (i === 2) {
        await sleep(5);
        phones.cut = new Date().toISOString();
        await sleep(5);
      }
      const phone = await call('POST', '/v1/phone/import', { phone_number: `+3493000000${i}` });
      phones.all.push(phone.id);
      (i < 2 ? phones.beforeCut : phones.afterCut).push(phone.id);
      const changes: Record<string, string> = {};
      if (bind.inbound !== null) changes.inbound_version_id = bind.inbound;
      if (bind.outbound !== null) changes.outbound_version_id = bind.outbound;
      if (Object.keys(changes).length > 0) await call('PATCH', `/v1/phone/${phone.id}`, changes);
      if (bind.inbound === xVersion) phones.inboundX.push(phone.id);
      if (bind.inbound === yVersion) phones.inboundY.push(phone.id);
      if (bind.outbound === xVersion) phones.outboundX.push(phone.id);
    }
    await call('POST', '/v1/phone/import', { phone_number: '+34939999999' }, t.keyB);
  });
  after(() => t.close());

  const callsWhere = (keep: (c: KnownCall) => boolean) => () => calls.filter(keep).map((c) => c.id);
  const callCase = (name: string, filter: () => string, matching: () => string[]): Case => ({
    name: `GET /v1/call/ ${name}`,
    path: () => '/v1/call/',
    filter,
    matching,
    schema: 'PaginatedResponse_CallResponse_',
  });
  const agentCase = (filter: string, matching: () => string[]): Case => ({
    name: `GET /v1/agent/ ${filter || 'unfiltered'}`,
    path: () => '/v1/agent/',
    filter: () => filter,
    matching,
    id: 'agent_id',
    schema: 'PaginatedResponse_AgentResponseSchema_',
  });
  const versionCase = (filter: string, matching: () => string[]): Case => ({
    name: `GET /v1/agent/{id}/version ${filter || 'unfiltered'}`,
    path: () => `/v1/agent/${versions.agent}/version`,
    filter: () => filter,
    matching,
    id: 'version_id',
    schema: 'PaginatedResponse_AgentResponseSchema_',
  });
  const phoneCase = (name: string, filter: () => string, matching: () => string[]): Case => ({
    name: `GET /v1/phone/ ${name}`,
    path: () => '/v1/phone/',
    filter,
    matching,
    schema: 'PaginatedResponse_PhoneRegisterResponseSchema_',
  });

  const cases: Case[] = [
    callCase(
      'unfiltered',
      () => '',
      callsWhere(() => true),
    ),
    callCase(
      'agent_id',
      () => `agent_id=${callAgents[0]}`,
      callsWhere((c) => c.agentId === callAgents[0]),
    ),
    callCase(
      'status',
      () => 'status=completed',
      callsWhere((c) => c.status === 'completed'),
    ),
    callCase(
      'type',
      () => 'type=outbound',
      callsWhere((c) => c.type === 'outbound'),
    ),
    callCase(
      'phone_id',
      () => `phone_id=${callPhones[1]}`,
      callsWhere((c) => c.phoneId === callPhones[1]),
    ),
    callCase(
      'contact_id',
      () => `contact_id=${contactOf.get(calls[1]!.id)}`,
      callsWhere((c) => c.caller === calls[1]!.caller),
    ),
    callCase(
      'start_created_date',
      () => `start_created_date=${encodeURIComponent(createdCut)}`,
      callsWhere((c) => c.createdMs >= Date.parse(createdCut)),
    ),
    callCase(
      'end_created_date',
      () => `end_created_date=${encodeURIComponent(createdCut)}`,
      callsWhere((c) => c.createdMs <= Date.parse(createdCut)),
    ),
    callCase(
      'agent_id and type',
      () => `agent_id=${callAgents[1]}&type=inbound`,
      callsWhere((c) => c.agentId === callAgents[1] && c.type === 'inbound'),
    ),
    callCase(
      'matching nothing',
      () => `agent_id=${randomUUID()}`,
      () => [],
    ),
    {
      name: 'GET /v1/call/{id}/message of a call among others',
      path: () => `/v1/call/${messages.talkyCall}/message`,
      filter: () => '',
      matching: () => messages.talky,
      schema: 'PaginatedResponse_MessageResponse_',
    },
    {
      name: 'GET /v1/call/{id}/message of the quieter call',
      path: () => `/v1/call/${messages.quietCall}/message`,
      filter: () => '',
      matching: () => messages.quiet,
      schema: 'PaginatedResponse_MessageResponse_',
    },
    {
      name: 'GET /v1/api_key/ (live keys of the project)',
      path: () => '/v1/api_key/',
      filter: () => '',
      matching: () => apiKeys.live,
      schema: 'PaginatedResponse_RedactedApiKeyResponseSchema_',
    },
    {
      name: 'GET /v1/webhook/ (the project)',
      path: () => '/v1/webhook/',
      filter: () => '',
      matching: () => webhooks,
      schema: 'PaginatedResponse_WebhookResponse_',
    },
    {
      name: 'GET /v1/webhook/{id}/deliveries (the webhook)',
      path: () => `/v1/webhook/${deliveries.hook}/deliveries`,
      filter: () => '',
      matching: () => deliveries.first,
    },
    agentCase('', () => [...agents.free, ...agents.path]),
    agentCase('mode=free', () => agents.free),
    agentCase('mode=path', () => agents.path),
    agentCase('is_published=true', () => agents.published),
    agentCase('is_published=true&mode=path', () => agents.publishedPath),
    agentCase('is_published=true&mode=free', () => agents.published.filter((a) => !agents.publishedPath.includes(a))),
    versionCase('', () => [...versions.free, ...versions.path]),
    versionCase('mode=free', () => versions.free),
    versionCase('mode=path', () => versions.path),
    versionCase('is_published=true', () => [versions.published]),
    versionCase('is_published=true&mode=path', () => []),
    phoneCase(
      'unfiltered',
      () => '',
      () => phones.all,
    ),
    phoneCase(
      'inbound_agent_id',
      () => `inbound_agent_id=${phones.agentX}`,
      () => phones.inboundX,
    ),
    phoneCase(
      'outbound_agent_id',
      () => `outbound_agent_id=${phones.agentX}`,
      () => phones.outboundX,
    ),
    phoneCase(
      'inbound_agent_id and outbound_agent_id',
      () => `inbound_agent_id=${phones.agentY}&outbound_agent_id=${phones.agentX}`,
      () => phones.inboundY.filter((p) => phones.outboundX.includes(p)),
    ),
    phoneCase(
      'status matching all',
      () => 'status=assigned',
      () => phones.all,
    ),
    phoneCase(
      'status matching none',
      () => 'status=reserved',
      () => [],
    ),
    phoneCase(
      'start_assigned_at',
      () => `start_assigned_at=${encodeURIComponent(phones.cut)}`,
      () => phones.afterCut,
    ),
    phoneCase(
      'end_assigned_at',
      () => `end_assigned_at=${encodeURIComponent(phones.cut)}`,
      () => phones.beforeCut,
    ),
  ];

  async function list(c: Case, query: string) {
    const filter = c.filter();
    const url = `${c.path()}?${[filter, query].filter((q) => q !== '').join('&')}`;
    const response = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.keyA}` } });
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
    const body = response.json();
    if (c.schema !== undefined) assertMatchesReference(c.schema, body);
    return { url, body, ids: (body.data as Record<string, string>[]).map((item) => item[c.id ?? 'id'] as string) };
  }

  for (const c of cases) {
    test(c.name, async () => {
      const matching = new Set(c.matching());
      // The order the listing has is checked elsewhere; here, the matching items in that order.
      const unfiltered = await list({ ...c, filter: () => '' }, 'limit=100');
      const expected = unfiltered.ids.filter((id) => matching.has(id));
      assert.equal(expected.length, matching.size, 'every matching item is in the unfiltered listing');

      for (const limit of [1, 2]) {
        const totalPages = Math.ceil(expected.length / limit);
        for (let page = 1; page <= Math.max(totalPages, 1); page++) {
          const { url, body, ids } = await list(c, `page=${page}&limit=${limit}`);
          assert.deepEqual(ids, expected.slice((page - 1) * limit, page * limit), url);
          assert.equal(body.current_page, page, url);
          assert.equal(body.total_pages, totalPages, `${url}: total_pages of ${expected.length} matching items`);
          assert.equal(body.has_more, page < totalPages, `${url}: has_more`);
        }

        for (const order of ['desc', 'asc'] as const) {
          const walked: string[] = [];
          let cursor: string | null = null;
          for (let steps = 0; steps <= expected.length + 1; steps++) {
            const after = cursor === null ? '' : `&after=${cursor}`;
            const { url, body, ids } = await list(c, `limit=${limit}&order=${order}${after}`);
            assert.ok(ids.length <= limit, url);
            assert.equal(body.total_pages, null, url);
            walked.push(...ids);
            if (!body.has_more) break;
            cursor = body.last_id;
          }
          assert.deepEqual(
            walked,
            order === 'desc' ? expected : [...expected].reverse(),
            `walk, limit ${limit}, ${order}`,
          );
        }
      }
    });
  }
});

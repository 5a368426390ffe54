import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, postEvents, type TestApp } from '../../helpers/app.js';
import { assertMatchesReference } from '../../helpers/contract.js';
import { callEvents } from '../../helpers/events.js';
import type { RuntimeEvent } from '../../../src/contract/events.js';

describeEachBackend('GET /v1/call/{id}/message (transcript)', (backend) => {
  let t: TestApp;
  const spoken: string[] = [];
  let callId: string;
  let silentCallId: string;
  let callOfB: string;

  before(async () => {
    t = await buildTestApp({ backend });
    const call = callEvents(t.projectA);
    callId = call.callId;
    const lines: RuntimeEvent[] = [];
    for (let i = 0; i < 120; i++) {
      const event = call.message(10 + i, i % 2 === 0 ? 'assistant' : 'user', `line ${i}`);
      lines.push(event);
      spoken.push(event.event_id);
    }
    // Two messages in the same second: spoken order breaks the tie by event id, as the fold does.
    const tieA = { ...call.message(200, 'user', 'tie'), event_id: '00000000-0000-4000-8000-000000000001' };
    const tieB = { ...call.message(200, 'assistant', 'tie'), event_id: 'ffffffff-0000-4000-8000-000000000001' };
    const tools: RuntimeEvent[] = [
      call.toolMessage(201, { function_name: 'book', payload: { day: 'jueves' }, status: 'success' }),
      call.toolMessage(202, {
        tool_name: 'transfer',
        payload: { to: '+34910000000' },
        status: 'error',
        type: 'call_tool',
      }),
    ];
    spoken.push(tieA.event_id, tieB.event_id, tools[0]!.event_id, tools[1]!.event_id);
    // Reported out of order, across batches, with the call created last.
    const shuffled = [...lines, tieB, tieA, ...tools].reverse();
    assert.equal((await postEvents(t.app, t.runtimeToken, shuffled.slice(0, 60))).statusCode, 200);
    assert.equal((await postEvents(t.app, t.runtimeToken, [...shuffled.slice(60), call.created(0)])).statusCode, 200);

    const silent = callEvents(t.projectA);
    silentCallId = silent.callId;
    const b = callEvents(t.projectB);
    callOfB = b.callId;
    const response = await postEvents(t.app, t.runtimeToken, [
      silent.created(0),
      b.created(0),
      b.message(5, 'user', 'secret of B'),
    ]);
    assert.equal(response.statusCode, 200, response.body);
  });
  after(() => t.close());

  async function messages(id: string, query = '', key = t.keyA): Promise<LightMyRequestResponse> {
    const response = await t.app.inject({
      method: 'GET',
      url: `/v1/call/${id}/message${query === '' ? '' : `?${query}`}`,
      headers: { authorization: `Bearer ${key}` },
    });
    const body = response.json();
    const schema =
      response.statusCode === 200
        ? 'PaginatedResponse_MessageResponse_'
        : 'detail' in body
          ? 'HTTPValidationError'
          : 'ErrorResponseSchema';
    assertMatchesReference(schema, body);
    return response;
  }
  const ids = (r: LightMyRequestResponse) => (r.json().data as { id: string }[]).map((m) => m.id);

  test('the transcript in spoken order (asc), and newest first by default as Diga documents', async () => {
    const asc = await messages(callId, 'order=asc&limit=1000');
    assert.equal(asc.statusCode, 200);
    assert.deepEqual(ids(asc), spoken);
    const byDefault = await messages(callId);
    assert.deepEqual(ids(byDefault), [...spoken].reverse().slice(0, 100), 'default limit 100, order desc');
    assert.equal(byDefault.json().has_more, true);
  });

  test('messages as MessageResponse, tool calls as FunctionSchema / CallToolSchema with their type', async () => {
    const body = (await messages(callId, 'order=asc&limit=1000')).json();
    const first = body.data[0];
    assert.deepEqual(Object.keys(first), ['id', 'created_date', 'role', 'content', 'tool_call']);
    assert.deepEqual(first, {
      id: spoken[0],
      created_date: '2026-11-20T10:00:10Z',
      role: 'assistant',
      content: 'line 0',
      tool_call: null,
    });
    const [fn, tool] = body.data.slice(-2);
    assert.equal(
      JSON.stringify(fn.tool_call),
      '{"function_name":"book","payload":{"day":"jueves"},"status":"success","type":"function"}',
    );
    assert.equal(
      JSON.stringify(tool.tool_call),
      '{"tool_name":"transfer","payload":{"to":"+34910000000"},"type":"call_tool","status":"error"}',
    );
    assert.equal(fn.content, null);
  });

  test('walking with `after` and `before`, and page mode', async () => {
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const body: { data: { id: string }[]; has_more: boolean; last_id: string | null } = (
        await messages(callId, `order=asc&limit=7${cursor === null ? '' : `&after=${cursor}`}`)
      ).json();
      walked.push(...body.data.map((m) => m.id));
      cursor = body.has_more ? body.last_id : null;
    } while (cursor !== null);
    assert.deepEqual(walked, spoken);

    const back = await messages(callId, `order=asc&limit=3&before=${spoken[10]}`);
    assert.deepEqual(ids(back), spoken.slice(7, 10));

    const page = (await messages(callId, 'order=asc&page=3&limit=50')).json();
    assert.deepEqual(
      page.data.map((m: { id: string }) => m.id),
      spoken.slice(100),
    );
    assert.equal(page.current_page, 3);
    assert.equal(page.total_pages, 3);
    assert.equal(page.has_more, false);
  });

  test('a call without messages: 404 NO_MESSAGES_FOR_CALL', async () => {
    const response = await messages(silentCallId);
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), {
      status: 'error',
      error_code: 'NO_MESSAGES_FOR_CALL',
      message: `No messages found for call ${silentCallId}`,
    });
  });

  test("another project's call answers exactly like a call that does not exist", async () => {
    const foreign = await messages(callOfB);
    const missing = randomUUID();
    const absent = await messages(missing);
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error_code, 'CALL_NOT_FOUND');
    assert.equal(foreign.body.replace(callOfB, 'X'), absent.body.replace(missing, 'X'));
    assert.deepEqual(
      Object.entries(foreign.headers).filter(([k]) => k !== 'x-request-id' && k !== 'content-length' && k !== 'date'),
      Object.entries(absent.headers).filter(([k]) => k !== 'x-request-id' && k !== 'content-length' && k !== 'date'),
    );
  });

  test('bad input: malformed id, limit out of range, both cursors, unknown cursor', async () => {
    const badId = await messages('nope');
    assert.equal(badId.statusCode, 422);
    assert.deepEqual(badId.json().detail[0].loc, ['path', 'id']);
    const big = await messages(callId, 'limit=1001');
    assert.equal(big.json().detail[0].type, 'less_than_equal');
    const both = await messages(callId, `after=${spoken[0]}&before=${spoken[1]}`);
    assert.equal(both.statusCode, 422);
    assert.equal(both.json().message, "Cannot specify both 'before' and 'after' parameters");
    const unknown = await messages(callId, `after=${randomUUID()}`);
    assert.equal(unknown.json().error_code, 'INVALID_PAGINATION_PARAMETERS');
  });

  test('needs messages.view', async () => {
    const callsOnly = await messages(callId, '', await t.keyFor(t.projectA, ['calls.view']));
    assert.equal(callsOnly.statusCode, 403);
    assert.equal(callsOnly.json().error_code, 'MISSING_PERMISSIONS');
    const messagesOnly = await messages(callId, 'limit=1', await t.keyFor(t.projectA, ['messages.view']));
    assert.equal(messagesOnly.statusCode, 200);
  });

  test('ingestion rejects a tool call that is neither FunctionSchema nor CallToolSchema', async () => {
    const call = callEvents(t.projectA);
    const response = await postEvents(t.app, t.runtimeToken, [
      { ...call.message(1, 'tool'), data: { role: 'tool', content: null, tool_call: { name: 'x', arguments: {} } } },
    ]);
    assert.equal(response.statusCode, 422);
    assert.ok(response.json().detail.some((d: { loc: unknown[] }) => d.loc.includes('tool_call')));
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, postEvents, type TestApp } from '../../helpers/app.js';
import { assertMatchesReference } from '../../helpers/contract.js';
import { BASE_MS, eventsFor, inListingOrder, seedCalls, type KnownCall } from '../../helpers/seeded-calls.js';

describeEachBackend('GET /v1/call/ (list calls)', (backend) => {
  let t: TestApp;
  let callsA: KnownCall[];
  let callsB: KnownCall[];

  before(async () => {
    t = await buildTestApp({ backend });
    callsA = await seedCalls(t.app, t.runtimeToken, t.projectA, 40);
    // Project B shares A's agent and phone ids, so a filter alone can never leak B's calls.
    callsB = await seedCalls(t.app, t.runtimeToken, t.projectB, 12, {
      agents: [callsA[0]!.agentId],
      phones: [callsA[0]!.phoneId],
      offsetMs: 1800_000,
    });
  });
  after(() => t.close());

  async function list(query: string, key = t.keyA): Promise<LightMyRequestResponse> {
    const response = await t.app.inject({
      method: 'GET',
      url: `/v1/call/${query === '' ? '' : `?${query}`}`,
      headers: { authorization: `Bearer ${key}` },
    });
    const schema =
      response.statusCode === 200
        ? 'PaginatedResponse_CallResponse_'
        : response.statusCode === 422 && 'detail' in response.json()
          ? 'HTTPValidationError'
          : 'ErrorResponseSchema';
    assertMatchesReference(schema, response.json());
    return response;
  }
  const ids = (response: LightMyRequestResponse) => (response.json().data as { id: string }[]).map((c) => c.id);

  async function walk(query: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const response = await list(`${query}&limit=${limit}${cursor === null ? '' : `&after=${cursor}`}`);
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json();
      seen.push(...ids(response));
      assert.ok(body.data.length <= limit);
      if (!body.has_more) return seen;
      cursor = body.last_id;
    }
    throw new Error('the walk never ended');
  }

  test('the first page: newest first, 50 at most, only the caller project, every field per contract', async () => {
    const response = await list('');
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual(Object.keys(body), ['data', 'first_id', 'last_id', 'has_more', 'current_page', 'total_pages']);
    assert.deepEqual(
      ids(response),
      inListingOrder(callsA).map((c) => c.id),
    );
    assert.equal(body.has_more, false);
    assert.equal(body.first_id, body.data[0].id);
    assert.equal(body.last_id, body.data.at(-1).id);
    assert.equal(body.current_page, null);
    assert.equal(body.total_pages, null);
    assert.deepEqual(Object.keys(body.data[0]).slice(0, 4), ['id', 'agent_id', 'agent_version_id', 'status']);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('each listed call is byte for byte its GET /v1/call/{id} body', async () => {
    const response = await list('limit=50');
    assert.equal(response.statusCode, 200);
    const listed = (response.json().data as { id: string }[]).map((call) => JSON.stringify(call));
    assert.equal(listed.length, callsA.length);
    for (const [i, id] of ids(response).entries()) {
      const single = await t.app.inject({ url: `/v1/call/${id}`, headers: { authorization: `Bearer ${t.keyA}` } });
      assert.equal(listed[i], single.body, `call ${id}`);
    }
  });

  test('walking with `after` meets every matching call exactly once, in order, for any page size, order and filter', async () => {
    const filters: [string, (c: KnownCall) => boolean][] = [
      ['', () => true],
      ['status=completed', (c) => c.status === 'completed'],
      ['type=outbound', (c) => c.type === 'outbound'],
      [`agent_id=${callsA[1]!.agentId}`, (c) => c.agentId === callsA[1]!.agentId],
      [`phone_id=${callsA[0]!.phoneId}`, (c) => c.phoneId === callsA[0]!.phoneId],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 45 }),
        fc.constantFrom('asc', 'desc'),
        fc.constantFrom(...filters),
        async (limit, order, [filter, matches]) => {
          const seen = await walk(`order=${order}&${filter}`, limit);
          assert.deepEqual(
            seen,
            inListingOrder(callsA.filter(matches), order as 'asc' | 'desc').map((c) => c.id),
          );
        },
      ),
      { numRuns: 25 },
    );
  });

  test('`before` returns the page preceding a call, in listing order', async () => {
    const all = inListingOrder(callsA).map((c) => c.id);
    const response = await list(`limit=5&before=${all[12]}`);
    assert.deepEqual(ids(response), all.slice(7, 12));
    assert.equal(response.json().has_more, true, 'seven more precede them');
    const first = await list(`limit=5&before=${all[3]}`);
    assert.deepEqual(ids(first), all.slice(0, 3));
    assert.equal(first.json().has_more, false);
    const asc = await list(`order=asc&limit=3&before=${all[0]}`);
    assert.deepEqual(
      ids(asc),
      inListingOrder(callsA, 'asc')
        .slice(-4, -1)
        .map((c) => c.id),
    );
  });

  test('page mode fills current_page and total_pages', async () => {
    const all = inListingOrder(callsA).map((c) => c.id);
    const second = (await list('page=2&limit=15')).json();
    assert.deepEqual(
      second.data.map((c: { id: string }) => c.id),
      all.slice(15, 30),
    );
    assert.equal(second.current_page, 2);
    assert.equal(second.total_pages, 3);
    assert.equal(second.has_more, true);
    const last = (await list('page=3&limit=15')).json();
    assert.equal(last.data.length, 10);
    assert.equal(last.has_more, false);
    const beyond = (await list('page=9&limit=15&status=failed')).json();
    assert.deepEqual(beyond.data, []);
    assert.equal(beyond.first_id, null);
    assert.equal(beyond.total_pages, Math.ceil(callsA.filter((c) => c.status === 'failed').length / 15));
  });

  test('each filter, and the date range (inclusive at both ends)', async () => {
    const expect = async (query: string, matches: (c: KnownCall) => boolean) => {
      const response = await list(`${query}&limit=1000`);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(
        ids(response),
        inListingOrder(callsA.filter(matches)).map((c) => c.id),
        query,
      );
    };
    await expect('status=in_progress', (c) => c.status === 'in_progress');
    await expect('type=inbound', (c) => c.type === 'inbound');
    await expect(`agent_id=${callsA[2]!.agentId.toUpperCase()}`, (c) => c.agentId === callsA[2]!.agentId);
    await expect(`phone_id=${callsA[1]!.phoneId}`, (c) => c.phoneId === callsA[1]!.phoneId);
    const from = new Date(BASE_MS + 3 * 3_600_000).toISOString();
    const to = new Date(BASE_MS + 6 * 3_600_000 + 1000).toISOString();
    await expect(
      `start_created_date=${from}&end_created_date=${to}`,
      (c) => c.createdMs >= Date.parse(from) && c.createdMs <= Date.parse(to),
    );
    await expect(
      `start_created_date=${encodeURIComponent('2026-11-01T05:00:00+02:00')}`,
      (c) => c.createdMs >= BASE_MS + 3 * 3_600_000,
    );

    const first = (await list('limit=1')).json().data[0];
    await expect(`contact_id=${first.contact.id}`, (c) => c.caller === first.contact.identifier);
    await expect(
      `status=completed&type=inbound&agent_id=${callsA[0]!.agentId}`,
      (c) => c.status === 'completed' && c.type === 'inbound' && c.agentId === callsA[0]!.agentId,
    );
  });

  test('another project never shows up, whatever the filters', async () => {
    const shared = `agent_id=${callsA[0]!.agentId}&phone_id=${callsA[0]!.phoneId}&limit=1000`;
    const fromB = await list(shared, t.keyB);
    assert.deepEqual(
      ids(fromB),
      inListingOrder(callsB).map((c) => c.id),
    );
    const aContact = (await list('limit=1')).json().data[0].contact.id;
    assert.deepEqual((await list(`contact_id=${aContact}`, t.keyB)).json().data, []);
  });

  test('a cursor from another project answers exactly like one that never existed', async () => {
    const foreign = await list(`after=${callsB[0]!.id}`);
    const missing = await list(`after=${randomUUID()}`);
    assert.equal(foreign.statusCode, 422);
    assert.equal(foreign.json().error_code, 'INVALID_PAGINATION_PARAMETERS');
    assert.equal(foreign.body.replace(callsB[0]!.id, 'X'), missing.body.replace(/[0-9a-f-]{36}/, 'X'));
  });

  test('both `after` and `before`: 422 INVALID_PAGINATION_PARAMETERS in the error envelope', async () => {
    const response = await list(`after=${callsA[0]!.id}&before=${callsA[1]!.id}`);
    assert.equal(response.statusCode, 422);
    assert.deepEqual(response.json(), {
      status: 'error',
      error_code: 'INVALID_PAGINATION_PARAMETERS',
      message: "Cannot specify both 'before' and 'after' parameters",
    });
    const mixed = await list(`after=${callsA[0]!.id}&page=2`);
    assert.equal(mixed.json().error_code, 'INVALID_PAGINATION_PARAMETERS');
  });

  test('a reversed date range is a 400 NOT_VALID_FIELD', async () => {
    const response = await list('start_created_date=2026-11-02T00:00:00Z&end_created_date=2026-11-01T00:00:00Z');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error_code, 'NOT_VALID_FIELD');
    assert.match(response.json().message, /start_created_date is after end_created_date/);
  });

  test("malformed parameters are FastAPI's 422, naming the query parameter", async () => {
    const cases: [string, string, string][] = [
      ['limit=0', 'limit', 'greater_than_equal'],
      ['limit=1001', 'limit', 'less_than_equal'],
      ['limit=ten', 'limit', 'int_parsing'],
      ['page=0', 'page', 'greater_than_equal'],
      ['order=newest', 'order', 'enum'],
      ['status=ringing', 'status', 'enum'],
      ['type=internal', 'type', 'enum'],
      ['after=not-a-uuid', 'after', 'uuid_parsing'],
      ['agent_id=123', 'agent_id', 'uuid_parsing'],
      ['start_created_date=yesterday', 'start_created_date', 'datetime_from_date_parsing'],
    ];
    for (const [query, name, type] of cases) {
      const response = await list(query);
      assert.equal(response.statusCode, 422, query);
      const [issue] = response.json().detail;
      assert.deepEqual(issue.loc, ['query', name], query);
      assert.equal(issue.type, type, query);
    }
    const status = (await list('status=ringing')).json().detail[0];
    assert.equal(
      status.msg,
      "Input should be 'dialing', 'in_progress', 'completed', 'failed', 'transferred' or 'no_answer'",
    );
  });

  test('without the trailing slash: a 307 to the slash form, query kept', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/v1/call?limit=2',
      headers: { authorization: `Bearer ${t.keyA}` },
    });
    assert.equal(response.statusCode, 307);
    assert.equal(response.headers.location, '/v1/call/?limit=2');
  });

  test('needs calls.view: 401 without a key, 403 with a key lacking it', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/v1/call/' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().error_code, 'INVALID_API_KEY');
    const narrow = await t.keyFor(t.projectA, ['messages.view', 'recordings.view']);
    const forbidden = await list('', narrow);
    assert.equal(forbidden.statusCode, 403);
    assert.deepEqual(forbidden.json(), {
      status: 'error',
      error_code: 'MISSING_PERMISSIONS',
      message: 'Missing required permissions to view calls',
    });
    const allowed = await list('limit=1', await t.keyFor(t.projectA, ['calls.view']));
    assert.equal(allowed.statusCode, 200);
  });

  test('a walk while new calls arrive still meets every earlier call exactly once', async () => {
    const before = inListingOrder(callsA).map((c) => c.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let round = 0; ; round++) {
      const response = await list(`limit=6${cursor === null ? '' : `&after=${cursor}`}`);
      const body = response.json();
      seen.push(...ids(response));
      // Between pages, newer calls and calls created in the past (late reports) arrive.
      const late: KnownCall = {
        id: randomUUID(),
        createdMs: BASE_MS + (round % 2 === 0 ? 10 ** 9 : -(10 ** 6)) + round,
        status: 'completed',
        type: 'inbound',
        agentId: randomUUID(),
        phoneId: randomUUID(),
        caller: '+34699999999',
      };
      const posted = await postEvents(t.app, t.runtimeToken, eventsFor(t.projectA, late));
      assert.equal(posted.statusCode, 200);
      callsA.push(late);
      if (!body.has_more) break;
      cursor = body.last_id;
    }
    assert.equal(new Set(seen).size, seen.length, 'no call twice');
    for (const id of before) assert.ok(seen.includes(id), `call ${id} was missed`);
  });
});

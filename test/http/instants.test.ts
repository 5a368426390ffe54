import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { describeEachBackend } from '../helpers/backends.js';
import { buildTestApp, getCallAs, postEvents, type TestApp } from '../helpers/app.js';
import { callEvents } from '../helpers/events.js';
import { EARLIEST_INSTANT, LATEST_INSTANT } from '../../src/kernel/time.js';

/**
 * Instants are accepted from 1700-01-01T00:00:00Z to 2199-12-31T23:59:59.999999Z (after the
 * offset), the range both stores keep to the microsecond. Every date-time a request may carry
 * refuses what lies outside with pydantic's 422 for a bounded datetime, naming the field, and
 * takes the bounds themselves, which read back exactly.
 */
const EARLIEST = '1700-01-01T00:00:00Z';
const LATEST = '2199-12-31T23:59:59.999999Z';

const OUTSIDE: [string, 'le' | 'ge'][] = [
  ['9999-12-31T23:59:59.999999Z', 'le'],
  ['0001-01-01T00:00:00+23:59', 'ge'],
  ['2300-01-01T00:00:00.000001Z', 'le'],
  ['2199-12-31T23:59:59.999999-00:01', 'le'],
  ['1699-12-31T23:59:59.999999Z', 'ge'],
];
const LATE_BOUNDS = [LATEST, '2200-01-01T00:59:59.999999+01:00'];
const EARLY_BOUNDS = [EARLIEST, '1699-12-31T23:00:00-01:00'];

function rangeIssue(loc: (string | number)[], input: string, side: 'le' | 'ge') {
  return side === 'le'
    ? {
        type: 'less_than_equal',
        loc,
        msg: `Input should be less than or equal to ${LATEST}`,
        input,
        ctx: { le: LATEST },
      }
    : {
        type: 'greater_than_equal',
        loc,
        msg: `Input should be greater than or equal to ${EARLIEST}`,
        input,
        ctx: { ge: EARLIEST },
      };
}

interface DateTimeInput {
  loc: (string | number)[];
  /** An expiry, which must also lie in the future. */
  future?: true;
  send(value: string): Promise<LightMyRequestResponse>;
}

/** Every date-time a request may carry, named as dateTimeInputsOf names them. */
function inputsOf(t: TestApp, keyId: string): Record<string, DateTimeInput> {
  const query = (path: string, name: string): DateTimeInput => ({
    loc: ['query', name],
    send: (value) => t.api.get(`${path}?${name}=${encodeURIComponent(value)}`),
  });
  return {
    'GET /v1/call/ query start_created_date': query('/v1/call/', 'start_created_date'),
    'GET /v1/call/ query end_created_date': query('/v1/call/', 'end_created_date'),
    'GET /v1/phone/ query start_assigned_at': query('/v1/phone/', 'start_assigned_at'),
    'GET /v1/phone/ query end_assigned_at': query('/v1/phone/', 'end_assigned_at'),
    'POST /v1/api_key/ body expiry_date': {
      loc: ['body', 'expiry_date'],
      future: true,
      send: (value) => t.api.post('/v1/api_key/', { name: 'dated', restricted: false, expiry_date: value }),
    },
    'PATCH /v1/api_key/{id} body expiry_date': {
      loc: ['body', 'expiry_date'],
      future: true,
      send: (value) => t.api.patch(`/v1/api_key/${keyId}`, { expiry_date: value }),
    },
    'POST /internal/v1/events body events[].occurred_at': {
      loc: ['body', 'events', 1, 'occurred_at'],
      send: (value) => {
        const call = callEvents(t.projectA);
        return postEvents(t.app, t.runtimeToken, [call.created(), { ...call.answered(), occurred_at: value }]);
      },
    },
  };
}

type Schema = Record<string, unknown>;

/** "METHOD path part name" of every date-time in a request the OpenAPI document describes. */
function dateTimeInputsOf(doc: { paths: Record<string, Record<string, Schema>>; components: { schemas: Schema } }) {
  const found = new Set<string>();
  const walk = (node: unknown, where: string, seen: Set<string>): void => {
    if (node === null || typeof node !== 'object') return;
    const schema = node as Schema;
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.split('/').at(-1) as string;
      if (!seen.has(name)) walk(doc.components.schemas[name], where, new Set([...seen, name]));
      return;
    }
    if (schema.format === 'date-time') found.add(where);
    for (const [name, property] of Object.entries((schema.properties ?? {}) as Schema)) {
      walk(property, `${where}${where.endsWith(' ') ? '' : '.'}${name}`, seen);
    }
    walk(schema.items, `${where}[]`, seen);
    for (const key of ['anyOf', 'oneOf', 'allOf'])
      for (const branch of (schema[key] ?? []) as unknown[]) walk(branch, where, seen);
  };
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const at = `${method.toUpperCase()} ${path}`;
      for (const p of (operation.parameters ?? []) as Schema[])
        walk(p.schema, `${at} ${String(p.in)} ${String(p.name)}`, new Set());
      const body = ((operation.requestBody as Schema | undefined)?.content as Schema | undefined)?.['application/json'];
      if (body) walk((body as Schema).schema, `${at} body `, new Set());
    }
  }
  return [...found].sort();
}

describeEachBackend('instants outside 1700–2199', (backend) => {
  let t: TestApp;
  let inputs: Record<string, DateTimeInput>;
  beforeEach(async () => {
    t = await buildTestApp({ backend });
    const key = await t.api.post('/v1/api_key/', { name: 'patched', restricted: false });
    assert.equal(key.statusCode, 200, key.body);
    inputs = inputsOf(t, key.json().id);
  });
  afterEach(() => t.close());

  test('the suite probes every date-time input the OpenAPI document describes', async () => {
    const doc = (await t.app.inject('/openapi.json')).json();
    assert.deepEqual(dateTimeInputsOf(doc), Object.keys(inputs).sort());
  });

  test('every date-time input refuses an instant outside the range: one 422 issue naming the field', async () => {
    const wrong: string[] = [];
    for (const [name, input] of Object.entries(inputs)) {
      for (const [value, side] of OUTSIDE) {
        const response = await input.send(value);
        const expected = { detail: [rangeIssue(input.loc, value, side)] };
        if (response.statusCode !== 422 || !isDeepStrictEqual(response.json(), expected)) {
          wrong.push(`${name} = ${value}: ${response.statusCode} ${response.body}`);
        }
      }
    }
    assert.deepEqual(wrong, [], 'each input answers exactly one range issue');
    const malformed = await inputs['POST /v1/api_key/ body expiry_date']!.send('tomorrow');
    assert.deepEqual(
      malformed.json().detail.map((issue: { type: string }) => issue.type),
      ['datetime_from_date_parsing'],
      'a nullable date-time reports what is wrong with it, not also that it is not null, as pydantic does',
    );
    const stored = await t.store.db
      .selectFrom('call_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 0, 'a batch with one instant out of range stores none of its events');
    const keys = await t.store.db.selectFrom('api_keys').select('name').where('name', '=', 'dated').execute();
    assert.deepEqual(keys, [], 'no key was created');
  });

  test('every date-time input takes the bounds, written with any offset', async () => {
    for (const [name, input] of Object.entries(inputs)) {
      for (const value of [...LATE_BOUNDS, ...EARLY_BOUNDS]) {
        const response = await input.send(value);
        if (input.future && EARLY_BOUNDS.includes(value)) {
          // In range, so refused only by the rule that an expiry lies ahead.
          assert.equal(response.statusCode, 422, `${name} = ${value}`);
          assert.match(response.json().detail[0].msg, /expiry_date must be in the future/);
          continue;
        }
        assert.equal(response.statusCode, 200, `${name} = ${value}: ${response.body}`);
      }
    }
  });

  test('occurred_at at the bounds reads back exactly, and list filters at the bounds are exact', async () => {
    const early = callEvents(t.projectA);
    const late = callEvents(t.projectA);
    const ingested = await postEvents(t.app, t.runtimeToken, [
      { ...early.created(), occurred_at: EARLIEST },
      { ...early.answered(), occurred_at: '1700-01-01T00:00:05.000001Z' },
      { ...early.message(6), occurred_at: LATEST },
      { ...early.ended(), occurred_at: LATEST },
      { ...late.created(), occurred_at: '2200-01-01T00:59:59.999999+01:00' },
    ]);
    assert.equal(ingested.statusCode, 200, ingested.body);

    const earlyCall = (await getCallAs(t.app, t.keyA, early.callId)).json();
    assert.equal(earlyCall.created_date, EARLIEST);
    assert.equal(earlyCall.start_time, '1700-01-01T00:00:05.000001Z');
    assert.equal(earlyCall.end_time, LATEST);
    assert.equal(earlyCall.duration, 2 ** 31 - 1, 'five centuries, shown as the longest duration a store keeps');
    assert.equal((await getCallAs(t.app, t.keyA, late.callId)).json().created_date, LATEST);
    const messages = (await t.api.get(`/v1/call/${early.callId}/message`)).json();
    assert.deepEqual(
      messages.data.map((m: { created_date: string }) => m.created_date),
      [LATEST],
    );

    const listed = async (query: string) =>
      (await t.api.get(`/v1/call/?${query}`)).json().data.map((c: { id: string }) => c.id);
    const q = (name: string, value: string) => `${name}=${encodeURIComponent(value)}`;
    assert.deepEqual(await listed(`${q('start_created_date', EARLIEST)}&${q('end_created_date', LATEST)}`), [
      late.callId,
      early.callId,
    ]);
    assert.deepEqual(await listed(q('start_created_date', LATEST)), [late.callId]);
    assert.deepEqual(await listed(q('end_created_date', EARLIEST)), [early.callId]);
    const inside = `${q('start_created_date', '1700-01-01T00:00:00.000001Z')}&${q('end_created_date', '2199-12-31T23:59:59.999998Z')}`;
    assert.deepEqual(await listed(inside), [], 'one microsecond inside either bound leaves both calls out');
  });

  test('expiry_date at the bounds is kept exactly: a key expiring in 2199 works, one expired in 1700 does not', async () => {
    const created = await t.api.post('/v1/api_key/', { name: 'late', restricted: false, expiry_date: LATEST });
    assert.equal(created.statusCode, 200, created.body);
    const patched = await t.api.post('/v1/api_key/', { name: 'patched late', restricted: false });
    const patch = await t.api.patch(`/v1/api_key/${patched.json().id}`, { expiry_date: LATE_BOUNDS[1] });
    assert.equal(patch.statusCode, 200, patch.body);
    const expired = await t.keyFor(t.projectA, null, EARLIEST_INSTANT); // as the CLI's operator may
    const stored = await t.store.db
      .selectFrom('api_keys')
      .select(['name', 'expires_at'])
      .where('expires_at', 'is not', null)
      .orderBy('expires_at')
      .orderBy('name')
      .execute();
    assert.deepEqual(
      stored.map((k) => k.expires_at),
      [EARLIEST_INSTANT, LATEST_INSTANT, LATEST_INSTANT],
    );
    assert.deepEqual(
      stored.slice(1).map((k) => k.name),
      ['late', 'patched late'],
    );
    assert.equal((await t.api.get('/v1/call/', { key: created.json().value })).statusCode, 200);
    assert.equal((await t.api.get('/v1/call/', { key: patched.json().value })).statusCode, 200);
    assert.equal((await t.api.get('/v1/call/', { key: expired })).statusCode, 401);
  });
});

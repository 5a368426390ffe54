import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, test } from 'node:test';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, getCallAs, postEvents, type TestApp } from '../../helpers/app.js';
import { callEvents } from '../../helpers/events.js';
import type { RuntimeEvent } from '../../../src/contract/events.js';

async function countRows(t: TestApp, table: 'call_events' | 'calls' | 'contacts' | 'call_messages'): Promise<number> {
  const row = await t.store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachBackend('POST /internal/v1/events', (backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp({ backend });
  });
  afterEach(() => t.close());

  test('accepts a batch and reports each event', async () => {
    const call = callEvents(t.projectA);
    const events = [call.created(), call.answered(), call.message(6)];
    const response = await postEvents(t.app, t.runtimeToken, events);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      accepted: 3,
      duplicates: 0,
      discarded: 0,
      results: events.map((e) => ({ event_id: e.event_id, status: 'accepted' })),
    });
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal((await getCallAs(t.app, t.keyA, call.callId)).json().status, 'in_progress');
  });

  test('a replayed event is a no-op reported as duplicate', async () => {
    const call = callEvents(t.projectA);
    const events = [call.created(), call.answered()];
    await postEvents(t.app, t.runtimeToken, events);
    const before = await getCallAs(t.app, t.keyA, call.callId);
    const replay = await postEvents(t.app, t.runtimeToken, [...events, events[0]]);
    assert.equal(replay.statusCode, 200);
    assert.deepEqual(
      replay.json().results.map((r: { status: string }) => r.status),
      ['duplicate', 'duplicate', 'duplicate'],
    );
    assert.equal(replay.json().accepted, 0);
    assert.equal(await countRows(t, 'call_events'), 2);
    assert.equal((await getCallAs(t.app, t.keyA, call.callId)).body, before.body);
  });

  test('a replay in another id form or offset is still the same event', async () => {
    const call = callEvents(t.projectA);
    const created = call.created();
    await postEvents(t.app, t.runtimeToken, [created]);
    const sameInstant = new Date(Date.parse(created.occurred_at)).toISOString().replace('Z', '+00:00');
    const replay = await postEvents(t.app, t.runtimeToken, [
      {
        ...created,
        event_id: created.event_id.toUpperCase(),
        call_id: `{${created.call_id}}`,
        occurred_at: sameInstant,
      },
    ]);
    assert.equal(replay.statusCode, 200, replay.body);
    assert.equal(replay.json().results[0].status, 'duplicate');
  });

  test('a replay with its keys in another order is the same event', async () => {
    const call = callEvents(t.projectA);
    const created = call.created(0, { dynamic_variables: { a: 1, b: { c: 2, d: 3 } } });
    await postEvents(t.app, t.runtimeToken, [created]);
    const reordered = JSON.parse(
      JSON.stringify({
        data: created.data,
        type: created.type,
        occurred_at: created.occurred_at,
        call_id: created.call_id,
        project_id: created.project_id,
        event_id: created.event_id,
      }),
    );
    reordered.data.dynamic_variables = { b: { d: 3, c: 2 }, a: 1 };
    const replay = await postEvents(t.app, t.runtimeToken, [reordered]);
    assert.equal(replay.statusCode, 200, replay.body);
    assert.equal(replay.json().results[0].status, 'duplicate');
  });

  test('the same event_id with other content rejects the whole batch', async () => {
    const call = callEvents(t.projectA);
    const ended = call.ended(60, 'completed');
    await postEvents(t.app, t.runtimeToken, [call.created(), ended]);
    const other = callEvents(t.projectA);
    const response = await postEvents(t.app, t.runtimeToken, [
      other.created(),
      { ...ended, data: { outcome: 'failed', end_reason: 'x' } },
    ]);
    assert.equal(response.statusCode, 409);
    assert.deepEqual(response.json(), {
      status: 'error',
      error_code: 'EVENT_ID_CONFLICT',
      message: `Event ${ended.event_id} (events[1]) was already recorded with different content`,
    });
    assert.equal((await getCallAs(t.app, t.keyA, other.callId)).statusCode, 404, 'nothing of the batch applied');
    assert.equal((await getCallAs(t.app, t.keyA, call.callId)).json().status, 'completed');
  });

  test("an event id is unique within its call: the same id on another call is that call's own event", async () => {
    const call = callEvents(t.projectA);
    const ended = call.ended(60, 'completed');
    await postEvents(t.app, t.runtimeToken, [call.created(), ended]);
    const other = callEvents(t.projectA);
    const reused = { ...other.ended(30, 'failed', 'busy'), event_id: ended.event_id };
    const response = await postEvents(t.app, t.runtimeToken, [other.created(), reused]);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(
      response.json().results.map((r: { status: string }) => r.status),
      ['accepted', 'accepted'],
    );
    const replay = await postEvents(t.app, t.runtimeToken, [reused, ended]);
    assert.deepEqual(
      replay.json().results.map((r: { status: string }) => r.status),
      ['duplicate', 'duplicate'],
    );
    const served = await getCallAs(t.app, t.keyA, other.callId);
    assert.deepEqual([served.json().status, served.json().end_reason], ['failed', 'busy']);
    assert.equal((await getCallAs(t.app, t.keyA, call.callId)).json().status, 'completed');
  });

  test('an invalid event rejects the batch with a 422 naming each bad event by index and field', async () => {
    const good = callEvents(t.projectA);
    const bad = callEvents(t.projectA);
    const response = await postEvents(t.app, t.runtimeToken, [
      good.created(),
      { ...bad.ended(), data: { outcome: 'exploded' } },
      { ...bad.created(), event_id: 'nope' },
      { ...bad.message(3), data: { content: 'x' } },
      { ...bad.answered(), type: 'call.teleported' },
      { ...bad.answered(), occurred_at: 'yesterday' },
    ]);
    assert.equal(response.statusCode, 422);
    const detail = response.json().detail as { type: string; loc: (string | number)[]; msg: string }[];
    const locs = detail.map((d) => d.loc.join('.'));
    assert.deepEqual(locs.sort(), [
      'body.events.1.data.outcome',
      'body.events.2.event_id',
      'body.events.3.data.role',
      'body.events.4.type',
      'body.events.5.occurred_at',
    ]);
    const byLoc = Object.fromEntries(detail.map((d) => [d.loc.join('.'), d]));
    assert.equal(byLoc['body.events.1.data.outcome']?.type, 'enum');
    assert.equal(
      byLoc['body.events.1.data.outcome']?.msg,
      "Input should be 'completed', 'failed', 'transferred' or 'no_answer'",
    );
    assert.equal(byLoc['body.events.2.event_id']?.type, 'uuid_parsing');
    assert.equal(byLoc['body.events.3.data.role']?.msg, 'Field required');
    assert.equal(await countRows(t, 'call_events'), 0, 'nothing of the batch applied');
    assert.equal((await getCallAs(t.app, t.keyA, good.callId)).statusCode, 404);
  });

  test('batch size is 1 to 1000 events', async () => {
    const empty = await postEvents(t.app, t.runtimeToken, []);
    assert.equal(empty.statusCode, 422);
    assert.equal(empty.json().detail[0].type, 'too_short');
    const call = callEvents(t.projectA);
    const tooMany = Array.from({ length: 1001 }, (_, i) => call.message(i));
    const large = await t.app.inject({
      method: 'POST',
      url: '/internal/v1/events',
      headers: { authorization: `Bearer ${t.runtimeToken}` },
      payload: { events: tooMany },
    });
    assert.ok([413, 422].includes(large.statusCode), `got ${large.statusCode}`);
    const thousand = await postEvents(
      t.app,
      t.runtimeToken,
      tooMany.slice(0, 1000).map((e, i) => (i === 0 ? call.created() : e)),
    );
    assert.equal(thousand.statusCode, 200, thousand.body.slice(0, 300));
  });

  test('bodies that are not a batch are 422s in FastAPI shape, never 500s', async () => {
    const send = (payload: string, contentType = 'application/json') =>
      t.app.inject({
        method: 'POST',
        url: '/internal/v1/events',
        headers: { authorization: `Bearer ${t.runtimeToken}`, 'content-type': contentType },
        payload,
      });
    const invalidJson = await send('{"events": [');
    assert.equal(invalidJson.statusCode, 422);
    assert.equal(invalidJson.json().detail[0].type, 'json_invalid');
    const emptyBody = await send('');
    assert.equal(emptyBody.statusCode, 422);
    assert.deepEqual(emptyBody.json().detail[0].loc, ['body']);
    for (const payload of [
      '[]',
      '"x"',
      '42',
      'null',
      '{}',
      '{"events": {}}',
      '{"events": [1]}',
      '{"events": [null]}',
    ]) {
      const response = await send(payload);
      assert.equal(response.statusCode, 422, payload);
      assert.ok(Array.isArray(response.json().detail), payload);
    }
    const wrongType = await send('events=1', 'application/x-www-form-urlencoded');
    assert.equal(wrongType.statusCode, 415);
    assert.equal(wrongType.json().error_code, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('an unknown project or a call owned by another project rejects the batch', async () => {
    const unknownProject = randomUUID();
    const response = await postEvents(t.app, t.runtimeToken, [callEvents(unknownProject).created()]);
    assert.equal(response.statusCode, 422);
    assert.deepEqual(response.json().detail[0].loc, ['body', 'events', 0, 'project_id']);
    assert.equal(response.json().detail[0].type, 'project_not_found');

    const call = callEvents(t.projectA);
    await postEvents(t.app, t.runtimeToken, [call.created()]);
    const hijack = { ...callEvents(t.projectB, call.callId).ended(), project_id: t.projectB };
    const rejected = await postEvents(t.app, t.runtimeToken, [hijack]);
    assert.equal(rejected.statusCode, 422);
    assert.deepEqual(rejected.json().detail[0].loc, ['body', 'events', 0, 'call_id']);
    assert.equal((await getCallAs(t.app, t.keyA, call.callId)).json().status, 'dialing');
    assert.equal((await getCallAs(t.app, t.keyB, call.callId)).statusCode, 404);
  });

  test('a batch that names one call under two projects is rejected', async () => {
    const call = callEvents(t.projectA);
    const response = await postEvents(t.app, t.runtimeToken, [
      call.created(),
      { ...call.answered(), project_id: t.projectB },
    ]);
    assert.equal(response.statusCode, 422);
    assert.deepEqual(response.json().detail[0].loc, ['body', 'events', 1, 'call_id']);
    assert.equal(await countRows(t, 'call_events'), 0);
  });

  test('events before call.created wait, invisible, and apply when it arrives', async () => {
    const call = callEvents(t.projectA);
    await postEvents(t.app, t.runtimeToken, [
      call.ended(90, 'transferred', 'transferred_to_human'),
      call.answered(10),
      call.message(20),
    ]);
    assert.equal((await getCallAs(t.app, t.keyA, call.callId)).statusCode, 404);
    await postEvents(t.app, t.runtimeToken, [call.created(0)]);
    const body = (await getCallAs(t.app, t.keyA, call.callId)).json();
    assert.equal(body.status, 'transferred');
    assert.equal(body.duration, 80);
    assert.equal(body.end_reason, 'transferred_to_human');
  });

  test('status only moves forward; terminal states are absorbing', async () => {
    const call = callEvents(t.projectA);
    await postEvents(t.app, t.runtimeToken, [call.created(0), call.answered(5), call.ended(30, 'completed')]);
    await postEvents(t.app, t.runtimeToken, [call.ended(40, 'failed', 'late'), call.answered(50)]);
    const body = (await getCallAs(t.app, t.keyA, call.callId)).json();
    assert.equal(body.status, 'completed');
    assert.equal(body.end_time, '2026-11-20T10:00:30Z');
    assert.equal(body.start_time, '2026-11-20T10:00:05Z');
    assert.equal(body.duration, 25);
  });

  test('a call that ends unanswered has duration 0; one still running has null', async () => {
    const unanswered = callEvents(t.projectA);
    const running = callEvents(t.projectA);
    await postEvents(t.app, t.runtimeToken, [
      unanswered.created(0),
      unanswered.ended(30, 'no_answer', 'no_answer'),
      running.created(0),
      running.answered(3),
    ]);
    const a = (await getCallAs(t.app, t.keyA, unanswered.callId)).json();
    assert.equal(a.status, 'no_answer');
    assert.equal(a.duration, 0);
    assert.equal(a.start_time, null);
    const b = (await getCallAs(t.app, t.keyA, running.callId)).json();
    assert.equal(b.status, 'in_progress');
    assert.equal(b.duration, null);
  });

  test('a contact is unique per project, type and identifier, dated when first seen', async () => {
    const later = callEvents(t.projectA, randomUUID(), Date.parse('2026-11-21T10:00:00Z'));
    const earlier = callEvents(t.projectA, randomUUID(), Date.parse('2026-11-19T10:00:00Z'));
    const elsewhere = callEvents(t.projectB);
    await postEvents(t.app, t.runtimeToken, [later.created()]);
    await postEvents(t.app, t.runtimeToken, [earlier.created(), elsewhere.created()]);
    const a = (await getCallAs(t.app, t.keyA, later.callId)).json();
    const b = (await getCallAs(t.app, t.keyA, earlier.callId)).json();
    assert.equal(a.contact.id, b.contact.id);
    assert.equal(a.contact.created_date, '2026-11-19T10:00:00Z');
    const c = (await getCallAs(t.app, t.keyB, elsewhere.callId)).json();
    assert.notEqual(c.contact.id, a.contact.id, "another project's contact is its own");
    assert.equal(await countRows(t, 'contacts'), 2);
  });

  test('web contacts and outbound calls', async () => {
    const call = callEvents(t.projectA);
    await postEvents(t.app, t.runtimeToken, [
      call.created(0, { type: 'outbound', contact: { identifier: 'web_8f3a2c', contact_type: 'web' } }),
    ]);
    const body = (await getCallAs(t.app, t.keyA, call.callId)).json();
    assert.equal(body.type, 'outbound');
    assert.deepEqual([body.contact.identifier, body.contact.contact_type], ['web_8f3a2c', 'web']);
  });

  test('transcript messages are stored in order for the transcript endpoint', async () => {
    const call = callEvents(t.projectA);
    await postEvents(t.app, t.runtimeToken, [
      call.created(),
      call.message(9, 'user', 'segundo'),
      call.message(7, 'assistant', 'primero'),
    ]);
    const rows = await t.store.db
      .selectFrom('call_messages')
      .selectAll()
      .where('call_id', '=', call.callId)
      .orderBy('created_date')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.role, r.content]),
      [
        ['assistant', 'primero'],
        ['user', 'segundo'],
      ],
    );
  });

  test('only a runtime token may report events; a project key never can', async () => {
    const call = callEvents(t.projectA);
    for (const authorization of [undefined, `Bearer ${t.keyA}`, `Bearer rt-${'0'.repeat(64)}`, 'Bearer nope']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/internal/v1/events',
        headers: authorization === undefined ? {} : { authorization },
        payload: { events: [call.created()] },
      });
      assert.equal(response.statusCode, 401, String(authorization));
      assert.equal(response.json().error_code, 'INVALID_RUNTIME_TOKEN');
    }
    assert.equal(await countRows(t, 'call_events'), 0);
  });
  test('a contact seen only in a superseded call.created keeps no sighting', async () => {
    const first = callEvents(t.projectA);
    const x = { identifier: '+34600999001', contact_type: 'call' as const };
    const y = { identifier: '+34600999002', contact_type: 'call' as const };
    // Reported out of order: the call's created event at 50 s (contact X), then its earlier one at 30 s (Y).
    assert.equal((await postEvents(t.app, t.runtimeToken, [first.created(50, { contact: x })])).statusCode, 200);
    assert.equal((await postEvents(t.app, t.runtimeToken, [first.created(30, { contact: y })])).statusCode, 200);
    const call = (await getCallAs(t.app, t.keyA, first.callId)).json();
    assert.equal(call.contact.identifier, y.identifier);

    // In order, X was never seen at 50 s: its first sighting is this later call's, at 69 s.
    const second = callEvents(t.projectA);
    assert.equal((await postEvents(t.app, t.runtimeToken, [second.created(69, { contact: x })])).statusCode, 200);
    const other = (await getCallAs(t.app, t.keyA, second.callId)).json();
    assert.equal(other.contact.created_date, '2026-11-20T10:01:09Z');
  });
  test('a call reported over batches is stored as when reported in one, a superseding call.created included', async () => {
    // Two call.created events differ in one field (or none). The changed one comes first in
    // delivery order (fold.ts): earlier, or at the same instant with the smaller event id. Sent
    // last, in a later batch than the call's first events, it must leave the call's row as when
    // everything arrives at once: a later batch sets only the columns that move on while the
    // call.created ones stand (calls-repo.ts), and every column when they do not.
    type CreatedData = Partial<Extract<RuntimeEvent, { type: 'call.created' }>['data']>;
    const variations: [string, CreatedData, number][] = [
      ['nothing', {}, 30],
      ['type', { type: 'outbound' }, 30],
      ['contact', { contact: { identifier: '+34600999201', contact_type: 'call' } }, 30],
      ['agent_id', { agent_id: randomUUID() }, 30],
      ['agent_version_id', { agent_version_id: randomUUID() }, 30],
      ['phone_register_id', { phone_register_id: randomUUID() }, 30],
      ['dynamic_variables', { dynamic_variables: { tier: 'gold' } }, 30],
      ['created_date', {}, 29],
    ];
    const base: CreatedData = {
      agent_id: null,
      agent_version_id: null,
      phone_register_id: null,
      dynamic_variables: { tier: 'blue' },
    };
    const row = async (callId: string) => {
      const {
        id: _id,
        updated_at: _updated,
        ...rest
      } = await t.store.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirstOrThrow();
      return rest;
    };
    for (const [field, change, seconds] of variations) {
      const pair = (call: ReturnType<typeof callEvents>) => {
        const [winner, loser] = [call.created(seconds, { ...base, ...change }), call.created(30, base)];
        return {
          winner: { ...winner, event_id: `0${winner.event_id.slice(1)}` },
          loser: { ...loser, event_id: `f${loser.event_id.slice(1)}` },
        };
      };
      const [apart, together] = [callEvents(t.projectA), callEvents(t.projectA)];
      const apartCreated = pair(apart);
      await postEvents(t.app, t.runtimeToken, [apartCreated.loser, apart.answered(40)]);
      await postEvents(t.app, t.runtimeToken, [apart.recording(50)]);
      await postEvents(t.app, t.runtimeToken, [apartCreated.winner, apart.ended(90)]);
      const togetherCreated = pair(together);
      await postEvents(t.app, t.runtimeToken, [
        togetherCreated.loser,
        together.answered(40),
        { ...together.recording(50), data: { recording_url: `https://recordings.example/${apart.callId}.mp3` } },
        togetherCreated.winner,
        together.ended(90),
      ]);
      assert.deepEqual(await row(apart.callId), await row(together.callId), field);
      const view = (await getCallAs(t.app, t.keyA, apart.callId)).json();
      assert.deepEqual(view, { ...(await getCallAs(t.app, t.keyA, together.callId)).json(), id: apart.callId }, field);
    }
  });
  test('a call moving to another contact re-dates the old contact under its remaining calls', async () => {
    const x = { identifier: '+34600999101', contact_type: 'call' as const };
    const y = { identifier: '+34600999102', contact_type: 'call' as const };
    const stays = callEvents(t.projectA);
    const moves = callEvents(t.projectA);
    const contactDate = async () => (await getCallAs(t.app, t.keyA, stays.callId)).json().contact.created_date;
    await postEvents(t.app, t.runtimeToken, [stays.created(60, { contact: x })]);
    await postEvents(t.app, t.runtimeToken, [moves.created(50, { contact: x })]);
    assert.equal(await contactDate(), '2026-11-20T10:00:50Z', 'an earlier sighting re-dates the contact');
    await postEvents(t.app, t.runtimeToken, [moves.created(30, { contact: y })]);
    assert.equal(await contactDate(), '2026-11-20T10:01:00Z', 'the superseded sighting no longer counts');
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, getCallAs, postEvents, type TestApp, uploadRecording } from '../../helpers/app.js';
import { assertMatchesReference } from '../../helpers/contract.js';
import { callEvents } from '../../helpers/events.js';
import type { RuntimeEvent } from '../../../src/contract/events.js';
import { toneWav } from '../../../src/demo/wav.js';

describeEachBackend('POST /v1/call/bulk-delete', (backend) => {
  let t: TestApp;
  let ended: string[];
  let active: string[];
  let endedOfB: string;
  let firstBatch: RuntimeEvent[];
  let signedUrl: string;

  before(async () => {
    t = await buildTestApp({ backend });
    const done = Array.from({ length: 3 }, () => callEvents(t.projectA));
    const ringing = callEvents(t.projectA);
    const talking = callEvents(t.projectA);
    const b = callEvents(t.projectB);
    firstBatch = [
      ...done.flatMap((c, i) => [
        c.created(0, { dynamic_variables: { customer_name: 'Lucía Pérez' } }),
        c.answered(2),
        c.message(3, 'user', `Mi DNI es 1234567${i}X`),
        c.ended(30, ['completed', 'failed', 'no_answer'][i] as 'completed'),
      ]),
      ringing.created(0),
      talking.created(0),
      talking.answered(2),
      b.created(0),
      b.ended(10),
    ];
    assert.equal((await postEvents(t.app, t.runtimeToken, firstBatch)).statusCode, 200);
    ended = done.map((c) => c.callId);
    active = [ringing.callId, talking.callId];
    endedOfB = b.callId;
    await uploadRecording(t, ended[0] as string, toneWav(0.2));
    signedUrl = (await getCallAs(t.app, t.keyA, ended[0] as string)).json().recording_url;
  });
  after(() => t.close());

  const bulkDelete = (body: unknown, key = t.keyA) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/call/bulk-delete',
      headers: { authorization: `Bearer ${key}` },
      payload: body as object,
    });

  test('needs calls.delete', async () => {
    const response = await bulkDelete({ call_ids: ended }, await t.keyFor(t.projectA, ['calls.view']));
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().message, 'Missing required permissions to delete calls');
  });

  test('bad lists are 422s: empty, 501 ids, malformed ids', async () => {
    const cases: [unknown, string, unknown[]][] = [
      [{ call_ids: [] }, 'too_short', ['body', 'call_ids']],
      [{ call_ids: Array.from({ length: 501 }, () => randomUUID()) }, 'too_long', ['body', 'call_ids']],
      [{ call_ids: [ended[0], 'nope'] }, 'uuid_parsing', ['body', 'call_ids', 1]],
      [{ ids: ended }, 'missing', ['body', 'call_ids']],
    ];
    for (const [body, type, loc] of cases) {
      const response = await bulkDelete(body);
      assert.equal(response.statusCode, 422);
      assertMatchesReference('HTTPValidationError', response.json());
      assert.equal(response.json().detail[0].type, type);
      assert.deepEqual(response.json().detail[0].loc, loc);
    }
    const tooLong = (await bulkDelete(cases[1]![0])).json().detail[0];
    assert.equal(tooLong.msg, 'List should have at most 500 items after validation, not 501');
  });

  test("deletes only the project's ended calls; active, foreign and unknown ids are skipped", async () => {
    const response = await bulkDelete({ call_ids: [...ended, ...active, endedOfB, randomUUID(), ended[0]] });
    assert.equal(response.statusCode, 200);
    assertMatchesReference('BulkDeleteCallResponse', response.json());
    assert.deepEqual(response.json(), { deleted: 3 });

    for (const id of ended) assert.equal((await getCallAs(t.app, t.keyA, id)).statusCode, 404);
    for (const id of active) assert.equal((await getCallAs(t.app, t.keyA, id)).statusCode, 200);
    assert.equal((await getCallAs(t.app, t.keyB, endedOfB)).statusCode, 200);
    const listed = (
      await t.app.inject({ url: '/v1/call/?limit=100', headers: { authorization: `Bearer ${t.keyA}` } })
    ).json();
    assert.deepEqual(listed.data.map((c: { id: string }) => c.id).sort(), [...active].sort());
    const transcript = await t.app.inject({
      url: `/v1/call/${ended[0]}/message`,
      headers: { authorization: `Bearer ${t.keyA}` },
    });
    assert.equal(transcript.json().error_code, 'CALL_NOT_FOUND');
    assert.equal((await bulkDelete({ call_ids: ended })).json().deleted, 0, 'deleting again deletes nothing');
  });

  test('the recording goes too: no file left, the signed URL is a 404', async () => {
    const files = (readdirSync(t.blobDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.wav'));
    assert.deepEqual(files, []);
    const url = new URL(signedUrl);
    const response = await t.app.inject({ url: url.pathname + url.search });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().error_code, 'RECORDING_NOT_FOUND');
  });

  test('the events stay for audit, without the personal data', async () => {
    const rows = await t.store.db
      .selectFrom('call_events')
      .select(['type', 'payload'])
      .where('call_id', 'in', ended)
      .execute();
    assert.equal(rows.length, 12, 'every event is still there');
    for (const row of rows) {
      assert.doesNotMatch(row.payload, /\+34600111222|Lucía|DNI/, `${row.type} still holds personal data`);
    }
    assert.equal(
      await t.store.db.selectFrom('call_messages').select('id').where('call_id', 'in', ended).executeTakeFirst(),
      undefined,
    );
  });

  test('events reported later for a deleted call are discarded, never bringing it back', async () => {
    const late = callEvents(t.projectA, ended[0] as ReturnType<typeof randomUUID>);
    const replay = firstBatch.filter((e) => e.call_id === ended[0]);
    const response = await postEvents(t.app, t.runtimeToken, [
      ...replay,
      late.message(40, 'user', 'hola'),
      late.recording(50),
    ]);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().discarded, replay.length + 2);
    assert.ok(response.json().results.every((r: { status: string }) => r.status === 'discarded'));
    assert.equal((await getCallAs(t.app, t.keyA, ended[0] as string)).statusCode, 404);
    const intruder = callEvents(t.projectB, ended[1] as ReturnType<typeof randomUUID>);
    const stolen = await postEvents(t.app, t.runtimeToken, [intruder.created(0)]);
    assert.equal(stolen.statusCode, 422, 'a deleted call id still belongs to its project');
  });
});

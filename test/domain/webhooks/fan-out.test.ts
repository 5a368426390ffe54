import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import { ingestEvents } from '../../../src/domain/calls/ingest.js';
import { createProject } from '../../../src/domain/projects/projects.js';
import { FAN_OUT_ROUND_ROWS, FanOut } from '../../../src/domain/webhooks/fan-out.js';
import { deleteWebhook, insertWebhook } from '../../../src/store/webhooks-repo.js';
import type { Db } from '../../../src/store/database.js';
import { nowMicros } from '../../../src/kernel/time.js';
import { describeEachBackend } from '../../helpers/backends.js';
import { callEvents } from '../../helpers/events.js';
import { openTestStore, type TestStore } from '../../helpers/test-store.js';

/**
 * The fan-out: status changes recorded once by ingestion become one outbox row per webhook and
 * status, in bounded rounds shared between projects, each webhook getting each call's events
 * once and in order, however many workers run it.
 */
describeEachBackend('webhook fan-out', (backend) => {
  let testStore: TestStore;
  let db: Db;
  let big: string;
  let small: string;
  let bigHooks: string[];
  let smallHook: string;

  const addHooks = async (projectId: string, n: number) => {
    const ids = Array.from({ length: n }, () => randomUUID());
    for (const id of ids) {
      await insertWebhook(db, {
        id,
        project_id: projectId,
        url: `http://127.0.0.1:9/${id}`,
        subscribed_events: '["status_changed"]',
        secret: 'whsec_test',
        created_date: nowMicros(),
        shows_recordings: 1,
      });
    }
    return ids;
  };
  const report = async (projectId: string, which: 'created' | 'rest' | 'all', c = callEvents(projectId)) => {
    const events = { created: [c.created(0)], rest: [c.answered(3), c.ended(40)], all: [] };
    await ingestEvents(db, which === 'all' ? [...events.created, ...events.rest] : events[which]);
    return c;
  };
  /** The outbox as (webhook, call) → sequences, in insertion-independent order. */
  const outbox = async () => {
    const rows = await db
      .selectFrom('webhook_events')
      .select(['id', 'webhook_id', 'call_id', 'sequence', 'payload'])
      .orderBy('sequence')
      .execute();
    const queues = new Map<string, number[]>();
    for (const r of rows)
      queues.set(`${r.webhook_id} ${r.call_id}`, [...(queues.get(`${r.webhook_id} ${r.call_id}`) ?? []), r.sequence]);
    return { rows, queues };
  };
  const changesLeft = async () => (await db.selectFrom('webhook_status_changes').select('id').execute()).length;

  before(async () => {
    testStore = await openTestStore(backend);
    db = testStore.store.db;
    big = (await createProject(db, 'Many webhooks')).id;
    small = (await createProject(db, 'One webhook')).id;
    bigHooks = await addHooks(big, 450);
    [smallHook] = (await addHooks(small, 1)) as [string];
  });
  after(() => testStore.close());
  beforeEach(async () => {
    await db.deleteFrom('webhook_events').execute();
    await db.deleteFrom('webhook_status_changes').execute();
  });

  test('ingestion records one change per call; rounds are bounded and every project gets its share', async () => {
    const ofBig = await report(big, 'all');
    const ofSmall = await report(small, 'all');
    assert.equal(await changesLeft(), 2, 'one row per call, not per webhook');
    assert.equal((await outbox()).rows.length, 0, 'ingestion wrote no outbox rows');

    const fanOut = new FanOut(db);
    const first = await fanOut.round();
    assert.ok(first.more);
    assert.ok(first.rows <= FAN_OUT_ROUND_ROWS + 3, `${first.rows} rows in one round`);
    const afterFirst = await outbox();
    assert.deepEqual(
      afterFirst.queues.get(`${smallHook} ${ofSmall.callId}`),
      [1, 2, 3],
      'the small project in round one',
    );
    const bigSoFar = afterFirst.rows.filter((r) => r.call_id === ofBig.callId).length;
    assert.ok(bigSoFar > 0 && bigSoFar <= FAN_OUT_ROUND_ROWS / 2 + 3, `the big project had its share: ${bigSoFar}`);

    let rounds = 1;
    while ((await fanOut.round()).more) rounds++;
    assert.ok(rounds >= 450 / (FAN_OUT_ROUND_ROWS / 3), `${rounds} rounds`);
    const { rows, queues } = await outbox();
    assert.equal(rows.length, 450 * 3 + 3);
    for (const hook of bigHooks) assert.deepEqual(queues.get(`${hook} ${ofBig.callId}`), [1, 2, 3]);
    assert.equal(new Set(rows.map((r) => r.id)).size, rows.length);
    const payload = JSON.parse(rows.find((r) => r.webhook_id === smallHook && r.sequence === 3)!.payload);
    assert.deepEqual(Object.keys(payload), ['id', 'event', 'created_date', 'sequence', 'data']);
    assert.equal(payload.data.status, 'completed');
    assert.equal(await changesLeft(), 0, 'a change is gone once every webhook has it');
  });

  test("a call's next change waits until every webhook has the one before: each gets them in order", async () => {
    const c = await report(big, 'created');
    await report(big, 'rest', c);
    const fanOut = new FanOut(db);
    for (let more = true; more;) {
      more = (await fanOut.round()).more;
      const { queues } = await outbox();
      const withLater = [...queues.values()].filter((s) => s.includes(2)).length;
      if (withLater > 0) assert.equal(queues.size, 450, 'seq 2 only once all 450 have seq 1');
      for (const sequences of queues.values()) assert.ok([1, 3].includes(sequences.length), sequences.join());
    }
    const { queues } = await outbox();
    for (const hook of bigHooks) assert.deepEqual(queues.get(`${hook} ${c.callId}`), [1, 2, 3]);
  });

  test('a webhook deleted before, or created after, the change gets none of it', async () => {
    const [gone] = await addHooks(small, 1);
    await deleteWebhook(db, gone!);
    const c = await report(small, 'all');
    const [late] = await addHooks(small, 1);
    const fanOut = new FanOut(db);
    while ((await fanOut.round()).more);
    const { queues } = await outbox();
    assert.deepEqual([...queues.keys()], [`${smallHook} ${c.callId}`]);
    assert.equal(queues.has(`${late} ${c.callId}`), false);
    await deleteWebhook(db, late!);
  });

  test('several workers fanning out at once give each webhook each event exactly once, in order', async () => {
    const calls = [];
    for (let i = 0; i < 4; i++) {
      const c = await report(big, 'created');
      calls.push(c);
      await report(big, 'rest', c);
    }
    const workers = [new FanOut(db), new FanOut(db), new FanOut(db)];
    await Promise.all(
      workers.map(async (worker) => {
        while ((await worker.round()).more);
      }),
    );
    // A worker may stop while another still held a change: finish what is left.
    while ((await workers[0]!.round()).more);
    const { rows, queues } = await outbox();
    assert.equal(rows.length, 4 * 450 * 3);
    for (const c of calls) for (const hook of bigHooks) assert.deepEqual(queues.get(`${hook} ${c.callId}`), [1, 2, 3]);
  });
});

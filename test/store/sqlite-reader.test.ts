import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { createProject } from '../../src/domain/projects/projects.js';
import { findCallViewNow } from '../../src/store/calls-repo.js';
import { buildTestApp, getCallAs, postEvents, type TestApp } from '../helpers/app.js';
import { callEvents } from '../helpers/events.js';
import { openTestStore, type TestStore } from '../helpers/test-store.js';

/**
 * On a SQLite file (as the server runs it), GET /v1/call/{id} reads on a connection of its own:
 * it answers from the last committed state while a write transaction is open, neither waiting
 * for it nor seeing its uncommitted changes.
 */
describe('SQLite read connection', () => {
  let t: TestApp;
  const call = callEvents('');
  before(async () => {
    t = await buildTestApp({ sqliteFile: true });
    const events = callEvents(t.projectA, call.callId);
    assert.equal((await postEvents(t.app, t.runtimeToken, [events.created(0), events.answered(4)])).statusCode, 200);
  });
  after(() => t.close());

  test('a GET during an open write transaction answers at once with the committed call', async () => {
    const committed = await getCallAs(t.app, t.keyA, call.callId);
    assert.equal(committed.json().status, 'in_progress');
    await t.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('call_views').set({ view: '{"uncommitted":true}' }).where('id', '=', call.callId).execute();
      const during = await Promise.race([getCallAs(t.app, t.keyA, call.callId), sleep(2000, 'timed out' as const)]);
      assert.notEqual(during, 'timed out', 'the GET waited for the write transaction');
      if (during === 'timed out') return;
      assert.equal(during.statusCode, 200);
      assert.equal(during.body, committed.body, 'no uncommitted change is visible');
    });
    const afterCommit = await t.app.inject({
      url: `/v1/call/${call.callId}`,
      headers: { authorization: `Bearer ${t.keyA}` },
    });
    assert.equal(afterCommit.body, '{"uncommitted":true}', 'once committed, the change is served');
  });
});

/**
 * The fast path's reads of one event-loop turn share a read transaction (sqlite-reader.ts). No
 * read may miss a write acknowledged before its request arrived: this process's commits end the
 * snapshot at once; another process's are seen from the next turn on.
 */
describe("SQLite read connection: one snapshot per turn, ended by this process's commits", () => {
  let t: TestStore;
  let projectId: string;
  const callId = randomUUID();
  const viewNow = () => findCallViewNow(t.store.db, projectId, callId)?.[0]?.view;
  /** True once the current turn's immediates have run (the snapshot's end). */
  const turnWatch = () => {
    const turn = { ended: false };
    setImmediate(() => (turn.ended = true));
    return turn;
  };

  before(async () => {
    t = await openTestStore('sqlite', { file: true });
    projectId = (await createProject(t.store.db, 'Reader')).id;
    await t.store.db.insertInto('call_views').values({ id: callId, project_id: projectId, view: '{"v":1}' }).execute();
  });
  after(() => t.close());

  test('a write on its own, committed after a read of the same turn, is seen by the next read', async () => {
    await nextTurn();
    const turn = turnWatch();
    const first = viewNow();
    await t.store.db.updateTable('call_views').set({ view: '{"v":2}' }).where('id', '=', callId).execute();
    const second = viewNow();
    assert.equal(turn.ended, false, 'the reads and the write ran in one turn');
    assert.equal(first, '{"v":1}');
    assert.equal(second, '{"v":2}');
  });

  test("a transaction's commit after a read of the same turn is seen by the next read", async () => {
    await nextTurn();
    const turn = turnWatch();
    const first = viewNow();
    await t.store.db.transaction().execute(async (trx) => {
      await trx.updateTable('call_views').set({ view: '{"v":3}' }).where('id', '=', callId).execute();
      assert.equal(viewNow(), first, 'nothing uncommitted is visible');
    });
    const second = viewNow();
    assert.equal(turn.ended, false, 'the reads and the transaction ran in one turn');
    assert.equal(second, '{"v":3}');
  });

  test("another process's commit is seen from the next turn on", async () => {
    await nextTurn();
    const other = new Database(t.url);
    try {
      const turn = turnWatch();
      assert.equal(viewNow(), '{"v":3}');
      other.prepare('UPDATE call_views SET view = ? WHERE id = ?').run('{"v":4}', callId);
      assert.equal(viewNow(), '{"v":3}', "the turn's reads share the snapshot its first read took");
      assert.equal(turn.ended, false);
      await nextTurn();
      assert.equal(viewNow(), '{"v":4}');
    } finally {
      other.close();
    }
  });
});

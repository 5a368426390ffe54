import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp, getCallAs, postEvents, type TestApp } from './helpers/app.js';
import { callEvents } from './helpers/events.js';

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

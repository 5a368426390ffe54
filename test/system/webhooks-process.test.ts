import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { callEvents } from '../helpers/events.js';
import { postEventsTo, request } from '../helpers/http.js';
import { startServerProcess, tempDir } from '../helpers/processes.js';
import { Receiver } from '../helpers/receiver.js';

/** The delivery worker inside the real server process, killed with a backlog. */
describe('webhook outbox survives SIGKILL', () => {
  const dir = tempDir();
  let receiver: Receiver;
  before(async () => {
    receiver = await new Receiver().start();
  });
  after(async () => {
    await receiver.stop();
    dir.remove();
  });

  test('server killed with a backlog, then restarted: every event arrives, each call in order', async () => {
    const env = {
      DIGA_DATABASE_URL: join(dir.path, 'diga.db'),
      DIGA_WEBHOOK_ALLOW_HTTP: 'true',
      DIGA_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      DIGA_WEBHOOK_BACKOFF_BASE_MS: '50',
      DIGA_WEBHOOK_POLL_MS: '20',
      DIGA_WEBHOOK_TIMEOUT_MS: '2000', // events the killed worker held are leased for 2 s + 5 s
    };
    receiver.answer = () => 500; // the backlog builds up in the outbox
    const first = await startServerProcess(env);
    const output = first.output();
    const key = /API key\s+(sk-[0-9a-f]{64})/.exec(output)?.[1] as string;
    const token = /runtime token\s+(rt-[0-9a-f]{64})/.exec(output)?.[1] as string;
    const projectId = /project\s+([0-9a-f-]{36})/.exec(output)?.[1] as string;
    assert.ok(key && token && projectId, output);

    const created = await request(`${first.base}/v1/webhook/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, subscribed_events: ['status_changed'] }),
    });
    assert.equal(created.status, 200, created.body);

    const calls = Array.from({ length: 10 }, () => callEvents(projectId));
    for (const [i, c] of calls.entries()) {
      const events = i % 2 === 0 ? [c.created(0), c.answered(3), c.ended(40)] : [c.created(0)];
      assert.equal((await postEventsTo(first.base, token, events)).status, 200);
    }
    for (const c of calls.filter((_, i) => i % 2 === 1)) {
      assert.equal((await postEventsTo(first.base, token, [c.answered(3), c.ended(40)])).status, 200);
    }
    await receiver.until((r) => r.length >= 3);
    assert.equal(await first.stop('SIGKILL'), null, 'killed, not exited');

    receiver.answer = () => 200;
    const second = await startServerProcess(env);
    try {
      const ids = () => new Set(receiver.received.map((r) => (JSON.parse(r.body) as { id: string }).id));
      await receiver.until(() => ids().size >= 30, 30_000);
      assert.equal(ids().size, 30, 'every status change of the 10 calls, none invented');
      for (const c of calls) {
        const firstArrivals: number[] = [];
        for (const r of receiver.received) {
          const event = JSON.parse(r.body) as { sequence: number; data: { id: string } };
          if (event.data.id === c.callId && !firstArrivals.includes(event.sequence)) firstArrivals.push(event.sequence);
        }
        assert.deepEqual(firstArrivals, [1, 2, 3], `call ${c.callId}`);
      }
    } finally {
      await second.stop();
    }
  });
});

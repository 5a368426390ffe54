import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildApp } from '../../../src/app.js';
import { buildTestApp, getCallAs, postEvents, type TestApp } from '../../helpers/app.js';
import { assertMatchesReference } from '../../helpers/contract.js';
import { callEvents } from '../../helpers/events.js';
import { projectRoot } from '../../helpers/paths.js';
import { pollUntil } from '../../helpers/poll.js';
import { Receiver, type Received } from '../../helpers/receiver.js';
import { verifyDigaSignature } from '../../../examples/verify-diga-signature.js';

/**
 * Names the test resolver knows. `rebind.test` stands for a name that answered a public address
 * when its webhook was saved and answers loopback now: it is only ever loopback here, and the
 * test writes it into a stored webhook (no test creates a webhook at a public address).
 */
const DNS: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34'],
  'loopback.test': ['127.0.0.1'],
  'mixed.test': ['93.184.216.34', '10.0.0.7'],
  'rebind.test': ['127.0.0.1'],
};
async function resolve(hostname: string) {
  const answers = DNS[hostname];
  if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return answers.map((address) => ({ address, family: 4 }));
}

interface StatusEvent {
  id: string;
  event: string;
  created_date: string;
  sequence: number;
  data: { id: string; status: string };
}
const parsed = (r: Received) => JSON.parse(r.body) as StatusEvent;

describeEachBackend('webhooks: /v1/webhook/ and status_changed deliveries', (backend) => {
  let t: TestApp;
  let receiver: Receiver;

  before(async () => {
    receiver = await new Receiver().start();
    t = await buildTestApp({
      backend,
      webhooks: {
        policy: { allowHttp: true, allowedHosts: new Set(['127.0.0.1']) },
        resolve,
        delivery: { timeoutMs: 3000, retryWindowMs: 120_000, backoffBaseMs: 20, pollMs: 20, concurrency: 8 },
      },
    });
    await t.app.ready();
  });
  after(async () => {
    await t.close();
    await receiver.stop();
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer = () => 200;
  });

  const createHook = async (url = receiver.url, key = t.keyA) => {
    const response = await t.api.post('/v1/webhook/', { url, subscribed_events: ['status_changed'] }, { key });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as { id: string; secret: string };
  };
  const deliveryLog = async (hookId: string): Promise<{ status_code: number | null; error: string }[]> =>
    (await t.api.get(`/v1/webhook/${hookId}/deliveries?limit=1000`)).json().data;
  /** A webhook's queued events, as the store holds them. */
  const outbox = (hookId: string) =>
    t.store.db.selectFrom('webhook_events').select(['id', 'status']).where('webhook_id', '=', hookId).execute();
  /** Reports a call that rings, is answered and ends: three status changes. */
  async function reportCall(projectId = t.projectA): Promise<string> {
    const c = callEvents(projectId);
    const response = await postEvents(t.app, t.runtimeToken, [c.created(0), c.answered(3), c.ended(40)]);
    assert.equal(response.statusCode, 200);
    return c.callId;
  }

  test('create shows the secret once; get, list and patch never do', async () => {
    const created = await t.api.post('/v1/webhook/', { url: receiver.url, subscribed_events: ['status_changed'] });
    assert.equal(created.statusCode, 200, created.body);
    const hook = created.json();
    assertMatchesReference('WebhookCreatedResponse', hook);
    assert.deepEqual(Object.keys(hook), ['id', 'url', 'subscribed_events', 'created_date', 'secret']);
    assert.match(hook.secret, /^whsec_[0-9a-f]{64}$/);
    const fetched = await t.api.get(`/v1/webhook/${hook.id}`);
    assertMatchesReference('WebhookResponse', fetched.json());
    assert.equal(fetched.body.includes(hook.secret), false);
    const list = await t.api.get('/v1/webhook/');
    assertMatchesReference('PaginatedResponse_WebhookResponse_', list.json());
    assert.equal(list.body.includes('whsec_'), false);
    const patched = await t.api.patch(`/v1/webhook/${hook.id}`, { url: `${receiver.url}?v=2` });
    assert.equal(patched.json().url, `${receiver.url}?v=2`);
    assert.deepEqual(patched.json().subscribed_events, ['status_changed']);
    assert.equal((await t.api.get('/v1/webhook/?limit=101')).json().detail[0].type, 'less_than_equal');
    assert.equal((await t.api.delete(`/v1/webhook/${hook.id}`)).body, 'null');
    assert.equal((await t.api.get(`/v1/webhook/${hook.id}`)).statusCode, 404);
  });

  test('every status change arrives once per webhook, in order, signed as documented', async () => {
    const hook = await createHook();
    try {
      const callId = await reportCall();
      await receiver.until((r) => r.length >= 3);
      const events = receiver.received.map(parsed);
      assert.deepEqual(
        events.map((e) => [e.event, e.sequence, e.data.status]),
        [
          ['status_changed', 1, 'dialing'],
          ['status_changed', 2, 'in_progress'],
          ['status_changed', 3, 'completed'],
        ],
      );
      assert.equal(new Set(events.map((e) => e.id)).size, 3);
      for (const e of events) assert.equal(e.data.id, callId);
      assert.deepEqual(Object.keys(events[0]!), ['id', 'event', 'created_date', 'sequence', 'data']);
      const final = (await getCallAs(t.app, t.keyA, callId)).json();
      assert.deepEqual(events[2]!.data, final, 'data is the CallResponse');
      for (const r of receiver.received) {
        assert.equal(r.headers['content-type'], 'application/json');
        assert.ok(verifyDigaSignature(r.body, r.headers['diga-signature'] as string, hook.secret));
        assert.ok(!verifyDigaSignature(r.body, r.headers['diga-signature'] as string, `${hook.secret}x`));
        assert.ok(!verifyDigaSignature(`${r.body} `, r.headers['diga-signature'] as string, hook.secret));
        const stamp = Number(/t=(\d+)/.exec(r.headers['diga-signature'] as string)?.[1]);
        assert.ok(!verifyDigaSignature(r.body, r.headers['diga-signature'] as string, hook.secret, 300, stamp + 301));
      }
    } finally {
      await t.api.delete(`/v1/webhook/${hook.id}`);
    }
  });

  test('the documented verification code is the code these tests run', () => {
    const doc = readFileSync(join(projectRoot, 'docs', 'WEBHOOKS.md'), 'utf8');
    const source = readFileSync(join(projectRoot, 'examples', 'verify-diga-signature.ts'), 'utf8');
    assert.ok(doc.includes(source.trim()), 'docs/WEBHOOKS.md embeds examples/verify-diga-signature.ts verbatim');
  });

  test('receiver down for a while, then up: every event arrives, each call in order', async () => {
    const hook = await createHook();
    try {
      await receiver.down();
      const calls = [await reportCall(), await reportCall(), await reportCall()];
      await pollUntil(
        'an attempt met the closed port',
        () => deliveryLog(hook.id),
        (log) => log.some((d) => d.status_code === null),
      );
      receiver.answer = () => 503; // up, but failing for a while
      await receiver.up();
      await receiver.until((r) => r.length >= 1);
      receiver.answer = () => 200;
      await receiver.until(
        (r) => new Set(r.filter((x) => x.headers['diga-signature']).map((x) => parsed(x).id)).size >= 9,
      );
      const delivered = receiver.received.map(parsed);
      for (const callId of calls) {
        const firstArrivals: number[] = [];
        for (const e of delivered.filter((d) => d.data.id === callId)) {
          if (!firstArrivals.includes(e.sequence)) firstArrivals.push(e.sequence);
        }
        assert.deepEqual(firstArrivals, [1, 2, 3], `call ${callId} in order`);
      }
      const log = (await t.api.get(`/v1/webhook/${hook.id}/deliveries?limit=1000`)).json();
      assert.ok(
        log.data.some((d: { status_code: number | null }) => d.status_code === null),
        'refused connections logged',
      );
      assert.ok(log.data.some((d: { status_code: number | null }) => d.status_code === 503));
      assert.ok(log.data.every((d: { latency_ms: number }) => d.latency_ms >= 0));
    } finally {
      await t.api.delete(`/v1/webhook/${hook.id}`);
    }
  });

  test('a slow receiver never blocks ingestion or reads', async () => {
    const hook = await createHook();
    try {
      receiver.answer = () => 'hang';
      const first = await reportCall();
      await receiver.until(() => receiver.pending >= 1);
      // The receiver holds a delivery open; the API keeps working meanwhile.
      const second = await reportCall();
      assert.equal((await getCallAs(t.app, t.keyA, second)).json().status, 'completed');
      assert.equal((await t.api.get(`/v1/call/${first}/message`)).statusCode, 404);
      assert.ok(receiver.pending >= 1, 'the slow delivery is still in flight');
      receiver.answer = () => 200;
      receiver.release(200);
      await receiver.until((r) => new Set(r.map((x) => parsed(x).id)).size >= 6);
    } finally {
      await t.api.delete(`/v1/webhook/${hook.id}`);
    }
  });

  test('rotation signs the next delivery with the new secret only; redeliver sends an event again', async () => {
    const hook = await createHook();
    try {
      const rotated = await t.api.post(`/v1/webhook/${hook.id}/rotate`);
      assertMatchesReference('WebhookSecretResponse', rotated.json());
      const { secret } = rotated.json();
      assert.notEqual(secret, hook.secret);
      await reportCall();
      await receiver.until((r) => r.length >= 3);
      for (const r of receiver.received) {
        assert.ok(verifyDigaSignature(r.body, r.headers['diga-signature'] as string, secret));
        assert.ok(!verifyDigaSignature(r.body, r.headers['diga-signature'] as string, hook.secret));
      }
      const [latest] = (await t.api.get(`/v1/webhook/${hook.id}/deliveries?limit=1`)).json().data;
      assert.equal(latest.status_code, 200);
      assert.equal(latest.error, null);
      const again = await t.api.post(`/v1/webhook/${hook.id}/deliveries/${latest.id}/redeliver`);
      assert.equal(again.statusCode, 202);
      assert.equal(again.json().event_id, latest.event_id);
      await receiver.until((r) => r.filter((x) => parsed(x).id === latest.event_id).length >= 2);
    } finally {
      await t.api.delete(`/v1/webhook/${hook.id}`);
    }
  });

  test('SSRF: every forbidden address class is refused, as written or as resolved', async () => {
    const refused = [
      'https://127.0.0.2/hook',
      'https://10.1.2.3/hook',
      'https://172.16.5.4/hook',
      'https://192.168.1.1/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://100.64.0.1/hook',
      'https://0.0.0.0/hook',
      'https://224.0.0.1/hook',
      'https://[::1]/hook',
      'https://[fc00::1]/hook',
      'https://[fe80::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://localhost/hook',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://loopback.test/hook',
      'https://mixed.test/hook',
      'https://user:secret@hooks.example.com/hook',
      'ftp://hooks.example.com/hook',
    ];
    for (const url of refused) {
      const response = await t.api.post('/v1/webhook/', { url, subscribed_events: ['status_changed'] });
      assert.equal(response.statusCode, 422, url);
      assert.deepEqual(response.json().detail[0].loc, ['body', 'url'], url);
    }
    // A public name is accepted: test/domain/webhooks/special-addresses.test.ts, which creates nothing.
    const existing = await createHook();
    const moved = await t.api.patch(`/v1/webhook/${existing.id}`, { url: 'https://192.168.0.10/' });
    assert.equal(moved.statusCode, 422, 'checked on update too');
    await t.api.delete(`/v1/webhook/${existing.id}`);
  });

  test('SSRF at delivery: a name that resolves to loopback by then is not connected to', async () => {
    const hook = await createHook();
    // As if saved while the name was public: at the receiver's port, so a connection would show.
    const rebound = new URL(receiver.url);
    rebound.hostname = 'rebind.test';
    await t.store.db.updateTable('webhooks').set({ url: rebound.href }).where('id', '=', hook.id).execute();
    try {
      const callId = await reportCall();
      const log = await pollUntil(
        'an attempt is logged',
        () => deliveryLog(hook.id),
        (l) => l.length > 0,
      );
      assert.equal(log[0]!.status_code, null);
      assert.equal(log[0]!.error, 'rebind.test resolves to an address that is not publicly reachable');
      assert.ok(!receiver.received.some((r) => parsed(r).data.id === callId), 'nothing reached the receiver');
    } finally {
      await t.api.delete(`/v1/webhook/${hook.id}`);
    }
  });

  test("another project's webhook answers exactly like one that does not exist, and sees none of A's calls", async () => {
    const ofB = await createHook(receiver.url, t.keyB);
    const missing = randomUUID();
    for (const [method, path, payload] of [
      ['GET', '', undefined],
      ['PATCH', '', { url: receiver.url }],
      ['POST', '/rotate', undefined],
      ['GET', '/deliveries', undefined],
      ['POST', `/deliveries/${randomUUID()}/redeliver`, undefined],
      ['DELETE', '', undefined],
    ] as const) {
      const foreign = await t.api.request(method, `/v1/webhook/${ofB.id}${path}`, payload);
      const absent = await t.api.request(method, `/v1/webhook/${missing}${path}`, payload);
      assert.equal(foreign.statusCode, 404, `${method} ${path}`);
      assert.equal(foreign.json().error_code, 'WEBHOOK_NOT_FOUND');
      assert.equal(foreign.body, absent.body);
    }
    assert.ok(!(await t.api.get('/v1/webhook/?limit=100')).json().data.some((h: { id: string }) => h.id === ofB.id));
    const callOfA = await reportCall(t.projectA);
    const callOfB = await reportCall(t.projectB);
    await receiver.until((r) => r.some((x) => parsed(x).data.id === callOfB) && r.length >= 3);
    assert.ok(!receiver.received.some((r) => parsed(r).data.id === callOfA), "B's webhook gets none of A's calls");
    const queuedForB = await t.store.db
      .selectFrom('webhook_events')
      .select('call_id')
      .where('webhook_id', '=', ofB.id)
      .execute();
    assert.deepEqual(
      queuedForB.map((e) => e.call_id),
      [callOfB, callOfB, callOfB],
      "nor will it: none of A's calls is queued for it",
    );
    await t.api.delete(`/v1/webhook/${ofB.id}`, { key: t.keyB });
  });

  test('several workers over one store: each event is claimed and sent exactly once', async () => {
    const more = await Promise.all(
      [1, 2].map(() =>
        buildApp({
          db: t.store.db,
          recordings: { blobs: t.blobs },
          webhooks: {
            policy: { allowHttp: true, allowedHosts: new Set(['127.0.0.1']) },
            delivery: { timeoutMs: 3000, retryWindowMs: 120_000, backoffBaseMs: 20, pollMs: 5, concurrency: 8 },
          },
        }),
      ),
    );
    await Promise.all(more.map((app) => app.ready()));
    const hook = await createHook();
    try {
      const calls = await Promise.all(Array.from({ length: 20 }, () => reportCall()));
      await receiver.until((r) => r.length >= 60);
      // Every event recorded as delivered, and the other workers stopped (close() waits for their
      // deliveries in flight): a second sending of any event would have arrived by now.
      await pollUntil(
        'every event is recorded as delivered',
        () => outbox(hook.id),
        (events) => events.every((e) => e.status === 'delivered'),
      );
      await Promise.all(more.map((app) => app.close()));
      const ids = receiver.received.map((r) => parsed(r).id);
      assert.equal(ids.length, 60, 'no event sent twice');
      assert.equal(new Set(ids).size, 60);
      for (const callId of calls) {
        const sequences = receiver.received
          .map(parsed)
          .filter((e) => e.data.id === callId)
          .map((e) => e.sequence);
        assert.deepEqual(sequences, [1, 2, 3], `call ${callId} in order across workers`);
      }
    } finally {
      await Promise.all(more.map((app) => app.close()));
      await t.api.delete(`/v1/webhook/${hook.id}`);
    }
  });

  test('after delete, nothing more is delivered', async () => {
    const hook = await createHook();
    receiver.answer = () => 500;
    await reportCall();
    await receiver.until((r) => r.length >= 1);
    await t.api.delete(`/v1/webhook/${hook.id}`);
    assert.deepEqual(await outbox(hook.id), [], 'its queue went with it: nothing is left to send');
  });
});

describeEachBackend('webhooks: the retry window', (backend) => {
  let t: TestApp;
  let receiver: Receiver;
  before(async () => {
    receiver = await new Receiver().start();
    t = await buildTestApp({
      backend,
      webhooks: {
        policy: { allowHttp: true, allowedHosts: new Set(['127.0.0.1']) },
        delivery: { timeoutMs: 1000, retryWindowMs: 300, backoffBaseMs: 10, pollMs: 10, concurrency: 4 },
      },
    });
    await t.app.ready();
  });
  after(async () => {
    await t.close();
    await receiver.stop();
  });

  test('an event retried past the window is marked failed, and the call queue moves on', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/webhook/',
      headers: { authorization: `Bearer ${t.keyA}` },
      payload: { url: receiver.url, subscribed_events: ['status_changed'] },
    });
    const hook = created.json();
    // The first event (sequence 1) always fails; the others succeed once it is given up.
    receiver.answer = (r) => (parsed(r).sequence === 1 ? 500 : 200);
    const c = callEvents(t.projectA);
    await postEvents(t.app, t.runtimeToken, [c.created(0), c.answered(3), c.ended(40)]);
    await receiver.until((r) => r.some((x) => parsed(x).sequence === 3));
    const attemptsAtFirst = receiver.received.filter((r) => parsed(r).sequence === 1).length;
    assert.ok(attemptsAtFirst >= 2, `retried (${attemptsAtFirst} attempts) before giving up`);
    const sequences = receiver.received.map((r) => parsed(r).sequence);
    assert.ok(sequences.lastIndexOf(1) < sequences.indexOf(2), 'the next event waited for the first to be given up');
    // The receiver has answered the last event; the worker records the answer just after.
    const statesOf = () =>
      t.store.db
        .selectFrom('webhook_events')
        .select(['sequence', 'status'])
        .where('webhook_id', '=', hook.id)
        .orderBy('sequence')
        .execute();
    const states = await pollUntil('no event is pending', statesOf, (events) =>
      events.every((s) => s.status !== 'pending'),
    );
    assert.deepEqual(
      states.map((s) => [s.sequence, s.status]),
      [
        [1, 'failed'],
        [2, 'delivered'],
        [3, 'delivered'],
      ],
    );
  });
});

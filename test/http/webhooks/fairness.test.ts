import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, test } from 'node:test';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, postEvents, type TestApp } from '../../helpers/app.js';
import { callEvents } from '../../helpers/events.js';
import { pollUntil } from '../../helpers/poll.js';
import { freePort } from '../../helpers/processes.js';
import { Receiver, type Received } from '../../helpers/receiver.js';

/** Receivers on loopback only; the service is told to accept them. */
const policy = { allowHttp: true, allowedHosts: new Set(['127.0.0.1']) };
const parsed = (r: Received) => JSON.parse(r.body) as { id: string; sequence: number; data: { id: string } };

/**
 * Issue 27, class 1: one project's webhooks (many of them, hung or dead) must not stall another
 * project's deliveries or ingestion. Each test here failed before deliveries were shared fairly.
 */
describeEachBackend('webhooks: one project cannot stall another', (backend) => {
  let t: TestApp;
  let prompt: Receiver;
  let hung: Receiver;

  before(async () => {
    prompt = await new Receiver().start();
    hung = await new Receiver().start();
    // 16 slots per process, the default shares (4 per project, 2 per webhook).
    t = await buildTestApp({
      backend,
      webhooks: {
        policy,
        delivery: { timeoutMs: 20_000, retryWindowMs: 600_000, backoffBaseMs: 200, pollMs: 20, concurrency: 16 },
      },
    });
    await t.app.ready();
  });
  after(async () => {
    hung.release();
    await t.close();
    await prompt.stop();
    await hung.stop();
  });
  beforeEach(() => {
    prompt.received.length = 0;
    hung.received.length = 0;
    hung.answer = () => 'hang';
  });

  const createHook = async (url: string, key: string) => {
    const response = await t.api.post('/v1/webhook/', { url, subscribed_events: ['status_changed'] }, { key });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { id: string }).id;
  };
  async function reportCall(projectId: string): Promise<string> {
    const c = callEvents(projectId);
    const response = await postEvents(t.app, t.runtimeToken, [c.created(0), c.answered(3), c.ended(40)]);
    assert.equal(response.statusCode, 200, response.body);
    return c.callId;
  }

  test("B's hung receivers hold at most its share of the slots: A's events go out at once", async () => {
    const ofB = await Promise.all(Array.from({ length: 20 }, (_, i) => createHook(`${hung.url}?b=${i}`, t.keyB)));
    const hookOfA = await createHook(prompt.url, t.keyA);
    try {
      await reportCall(t.projectB);
      await reportCall(t.projectB);
      await pollUntil(
        'B holds delivery slots',
        () => hung.pending,
        (n) => n >= 4,
      );
      const callOfA = await reportCall(t.projectA);
      // Before, B's 120 queued events took all 16 slots for the receivers' 20 s: A waited.
      await prompt.until((r) => r.length >= 3, 5000);
      assert.deepEqual(
        prompt.received.map((r) => [parsed(r).data.id, parsed(r).sequence]),
        [
          [callOfA, 1],
          [callOfA, 2],
          [callOfA, 3],
        ],
      );
      assert.ok(hung.pending <= 4, `B has ${hung.pending} deliveries in flight, at most 4`);
    } finally {
      hung.answer = () => 200;
      hung.release();
      for (const id of ofB) await t.api.delete(`/v1/webhook/${id}`, { key: t.keyB });
      await t.api.delete(`/v1/webhook/${hookOfA}`);
    }
  });

  test('a dead webhook backs off as a whole, not event by event', async () => {
    const dead = `http://127.0.0.1:${await freePort()}/hook`; // nothing listens there
    const hook = await createHook(dead, t.keyB);
    try {
      for (let i = 0; i < 10; i++) await reportCall(t.projectB);
      const attempts = async () =>
        (await t.api.get(`/v1/webhook/${hook}/deliveries?limit=100`, { key: t.keyB })).json().data as unknown[];
      await pollUntil('the first attempts failed', attempts, (log) => log.length > 0);
      await sleep(1500);
      // 30 events queued. Before, each was tried at once and retried on its own schedule (30+
      // attempts by now); the webhook now waits 200 ms, 400 ms, 800 ms… after failures in a row.
      const made = (await attempts()).length;
      assert.ok(made <= 10, `${made} attempts at a dead receiver in 1.5 s`);
      // The backoff is the webhook's: a live receiver of the same project is not held back.
      const hookOfA = await createHook(prompt.url, t.keyA);
      await reportCall(t.projectA);
      await prompt.until((r) => r.length >= 3, 5000);
      await t.api.delete(`/v1/webhook/${hookOfA}`);
    } finally {
      await t.api.delete(`/v1/webhook/${hook}`, { key: t.keyB });
    }
  });
});

describeEachBackend('webhooks: ingestion work and the cap on webhooks per project', (backend) => {
  let t: TestApp;
  let receiver: Receiver;

  before(async () => {
    receiver = await new Receiver().start();
    // No delivery worker: what ingestion itself writes stays in the store to be counted.
    t = await buildTestApp({ backend, webhooks: { policy } });
    await t.app.ready();
  });
  after(async () => {
    await t.close();
    await receiver.stop();
  });

  const createHook = (key: string, url = receiver.url) =>
    t.api.post('/v1/webhook/', { url, subscribed_events: ['status_changed'] }, { key });

  /** Rows in every table of the store. */
  async function rowsInStore(): Promise<number> {
    const tables =
      backend === 'postgres'
        ? sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`
        : sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`;
    let total = 0;
    for (const { name } of (await tables.execute(t.store.db)).rows) {
      const counted = await sql<{ n: number | string }>`SELECT count(*) AS n FROM ${sql.table(name)}`.execute(
        t.store.db,
      );
      total += Number(counted.rows[0]?.n);
    }
    return total;
  }
  async function rowsWrittenByReporting(projectId: string): Promise<number> {
    const before = await rowsInStore();
    const c = callEvents(projectId);
    const response = await postEvents(t.app, t.runtimeToken, [c.created(0), c.answered(3), c.ended(40)]);
    assert.equal(response.statusCode, 200, response.body);
    return (await rowsInStore()) - before;
  }

  test("a project's webhook count adds nothing to ingestion's work; every webhook still gets every event", async () => {
    assert.equal((await createHook(t.keyA)).statusCode, 200);
    for (let i = 0; i < 20; i++) assert.equal((await createHook(t.keyB, `${receiver.url}?b=${i}`)).statusCode, 200);
    const withOne = await rowsWrittenByReporting(t.projectA);
    const withTwenty = await rowsWrittenByReporting(t.projectB);
    // Before, ingestion wrote one outbox row per webhook and status: 3 for A, 60 for B.
    assert.equal(withTwenty, withOne, 'the same rows, whatever the number of webhooks');

    // A worker (here another app over the same store) fans the changes out afterwards.
    const worker: FastifyInstance = await buildApp({
      db: t.store.db,
      recordings: { blobs: t.blobs },
      webhooks: {
        policy,
        delivery: { timeoutMs: 5000, retryWindowMs: 600_000, backoffBaseMs: 50, pollMs: 10, concurrency: 16 },
      },
    });
    await worker.ready();
    try {
      await receiver.until((r) => r.length >= 63, 20_000);
      assert.equal(new Set(receiver.received.map((r) => parsed(r).id)).size, 63, 'each event once');
      const byHook = new Map<string, number[]>();
      for (const r of receiver.received) byHook.set(r.url, [...(byHook.get(r.url) ?? []), parsed(r).sequence]);
      assert.equal(byHook.size, 21, 'every webhook');
      for (const [url, sequences] of byHook) assert.deepEqual(sequences, [1, 2, 3], `${url}: its events, in order`);
    } finally {
      await worker.close();
    }
  });

  test('a project may have 20 webhooks; the 21st is a 400, and the cap is per project', async () => {
    const ofB = (await t.api.get('/v1/webhook/?limit=100', { key: t.keyB })).json().data as { id: string }[];
    assert.equal(ofB.length, 20);
    const refused = await createHook(t.keyB);
    assert.equal(refused.statusCode, 400, refused.body);
    assert.deepEqual(refused.json(), {
      status: 'error',
      error_code: 'WEBHOOK_LIMIT_EXCEEDED',
      message: 'A project is limited to 20 webhooks',
    });
    assert.equal((await t.api.get('/v1/webhook/?limit=100', { key: t.keyB })).json().data.length, 20);
    assert.equal((await createHook(t.keyA)).statusCode, 200, "A's webhooks are A's count");
    assert.equal((await t.api.delete(`/v1/webhook/${ofB[0]!.id}`, { key: t.keyB })).statusCode, 200);
    assert.equal((await createHook(t.keyB)).statusCode, 200, 'room again after a delete');
  });

  test('a project already over a lowered cap keeps its webhooks and may change them, but adds none', async () => {
    const lowered = await buildApp({
      db: t.store.db,
      recordings: { blobs: t.blobs },
      webhooks: { policy, maxPerProject: 5 },
    });
    try {
      const asB = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
        lowered.inject({
          method,
          url,
          headers: { authorization: `Bearer ${t.keyB}` },
          ...(payload ? { payload } : {}),
        });
      const hooks = (await asB('GET', '/v1/webhook/?limit=100')).json().data as { id: string }[];
      assert.equal(hooks.length, 20);
      const added = await asB('POST', '/v1/webhook/', { url: receiver.url, subscribed_events: ['status_changed'] });
      assert.equal(added.statusCode, 400);
      assert.equal(added.json().message, 'A project is limited to 5 webhooks');
      const patched = await asB('PATCH', `/v1/webhook/${hooks[0]!.id}`, { url: `${receiver.url}?patched` });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal((await asB('DELETE', `/v1/webhook/${hooks[1]!.id}`)).statusCode, 200);
      assert.equal((await asB('GET', '/v1/webhook/?limit=100')).json().data.length, 19);
    } finally {
      await lowered.close();
    }
  });
});

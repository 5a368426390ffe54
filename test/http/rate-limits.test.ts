import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type KyselyPlugin } from 'kysely';
import { buildApp } from '../../src/app.js';
import { MemoryLimiter } from '../../src/domain/rate-limits/memory-limiter.js';
import { rateLimitHeaders } from '../../src/domain/rate-limits/policy.js';
import { RateLimits } from '../../src/domain/rate-limits/rate-limits.js';
import { SharedLimiter } from '../../src/domain/rate-limits/shared-limiter.js';
import type { Db } from '../../src/store/database.js';
import { takeTokens } from '../../src/store/rate-limits-repo.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { describeEachBackend, postgresAdminUrl } from '../helpers/backends.js';
import { assertMatchesSeed } from '../helpers/contract.js';
import { callEvents } from '../helpers/events.js';
import { openTestStore } from '../helpers/test-store.js';
import { queryCounter } from '../helpers/query-counter.js';

const perKey = { name: 'api-key', burst: 3, perSecond: 0.5 };
const perToken = { name: 'runtime-token', burst: 2, perSecond: 0.01 };

describe('token buckets', () => {
  test('a bucket allows its burst, then refills at its rate, never above the burst', () => {
    let now = 0;
    const limiter = new MemoryLimiter(() => now);
    const policy = { name: 'p', burst: 2, perSecond: 4 };
    assert.deepEqual(
      [1, 2, 3].map(() => limiter.take('k', policy).allowed),
      [true, true, false],
    );
    const denied = limiter.take('k', policy);
    assert.equal(denied.retryAfterSeconds, 1);
    now += 250; // one token back
    assert.equal(limiter.take('k', policy).allowed, true);
    assert.equal(limiter.take('k', policy).allowed, false);
    now += 60_000;
    const full = limiter.take('k', policy);
    assert.deepEqual([full.allowed, full.remaining, full.resetSeconds], [true, 1, 1]);
    assert.equal(limiter.take('other', policy).allowed, true, 'buckets are independent');
  });

  test("a request refused by its project's bucket gives its key's token back", async () => {
    let now = 0;
    const limits = new RateLimits(
      { apiKey: { name: 'api-key', burst: 4, perSecond: 0.001 }, project: { name: 'project', burst: 1, perSecond: 1 } },
      new MemoryLimiter(() => now),
    );
    const reply = { header: () => undefined };
    const charge = () =>
      limits.chargeApiKey('k', 'p', reply).then(
        () => 'allowed',
        (error: { headers: Record<string, string> }) => error.headers['ratelimit-policy'],
      );
    assert.equal(await charge(), 'allowed', "the project's one token (the key has 3 left)");
    assert.equal(await charge(), '"project";q=1;w=1');
    assert.equal(await charge(), '"project";q=1;w=1');
    assert.equal(limits.chargeApiKeyNow('k', 'p'), undefined, 'the fast path too gives it back');
    now += 1000;
    assert.equal(await charge(), 'allowed', 'the key has 2 left');
    now += 1000;
    assert.deepEqual(
      limits.chargeApiKeyNow('k', 'p'),
      [
        ['ratelimit-policy', '"project";q=1;w=1'],
        ['ratelimit', '"project";r=0;t=1'],
      ],
      'the headers name the bucket with fewer left',
    );
    now += 1000;
    assert.equal(await charge(), 'allowed', "the key's last");
    now += 1000;
    assert.equal(await charge(), '"api-key";q=4;w=4000', 'only now is the key spent: refusals cost it nothing');
  });

  test('headers follow the IETF RateLimit fields', () => {
    const policy = { name: 'api-key', burst: 200, perSecond: 100 };
    assert.deepEqual(
      rateLimitHeaders(policy, { allowed: true, remaining: 150, retryAfterSeconds: 0, resetSeconds: 1 }),
      {
        'ratelimit-policy': '"api-key";q=200;w=2',
        ratelimit: '"api-key";r=150;t=1',
      },
    );
    assert.equal(
      rateLimitHeaders(policy, { allowed: false, remaining: 0, retryAfterSeconds: 1, resetSeconds: 2 })['retry-after'],
      '1',
    );
  });
});

describeEachBackend('rate limits', (backend) => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ backend, rateLimits: { apiKey: perKey, runtimeToken: perToken } });
  });
  after(() => t.close());

  test('an API key gets its burst, then 429 RATE_LIMITED with Retry-After; other keys are unaffected', async () => {
    const key = await t.keyFor(t.projectA, null);
    const get = (k: string) => t.app.inject({ url: '/v1/call/', headers: { authorization: `Bearer ${k}` } });
    const answers = [await get(key), await get(key), await get(key), await get(key)];
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 200, 200, 429],
    );
    assert.deepEqual(
      answers.map((a) => a.headers.ratelimit),
      ['"api-key";r=2;t=2', '"api-key";r=1;t=4', '"api-key";r=0;t=6', '"api-key";r=0;t=6'],
    );
    const limited = answers[3]!;
    assert.equal(limited.headers['ratelimit-policy'], '"api-key";q=3;w=6');
    assert.equal(limited.headers['retry-after'], '2');
    assert.equal(limited.headers['cache-control'], 'no-store');
    const body = limited.json();
    assertMatchesSeed('ErrorResponseSchema', body);
    assert.deepEqual(body, {
      status: 'error',
      error_code: 'RATE_LIMITED',
      message: 'Too many requests; retry after 2 seconds',
    });
    assert.equal((await get(t.keyB)).statusCode, 200, 'another key has its own bucket');
  });

  test('a runtime token is limited too, and a limited batch is not applied', async () => {
    const post = (events: unknown[]) =>
      t.app.inject({
        method: 'POST',
        url: '/internal/v1/events',
        headers: { authorization: `Bearer ${t.runtimeToken}` },
        payload: { events },
      });
    const calls = [callEvents(t.projectA), callEvents(t.projectA), callEvents(t.projectA)];
    const answers = [];
    for (const e of calls) answers.push(await post([e.created()]));
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 200, 429],
    );
    assert.equal(answers[2]?.json().error_code, 'RATE_LIMITED');
    const third = await t.app.inject({
      url: `/v1/call/${calls[2]?.callId}`,
      headers: { authorization: `Bearer ${t.keyB}` },
    });
    assert.equal(third.statusCode, 404);
  });
});

describeEachBackend('rate limits per project', (backend) => {
  const perProject = { name: 'project', burst: 8, perSecond: 0.01 };
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ backend, rateLimits: { apiKey: perKey, project: perProject } });
  });
  after(() => t.close());

  test("five keys of one project together get the project's budget, not five keys' worth", async () => {
    const keys = [];
    for (let i = 0; i < 5; i += 1) keys.push(await t.keyFor(t.projectA, null));
    const answers = [];
    // Round robin: each key has 3 of its own, 15 in all; the project has 8.
    for (let round = 0; round < perKey.burst; round += 1) {
      for (const key of keys) {
        answers.push(await t.app.inject({ url: '/v1/call/', headers: { authorization: `Bearer ${key}` } }));
      }
    }
    const statuses = answers.map((a) => a.statusCode);
    assert.deepEqual(statuses, [...Array(8).fill(200), ...Array(7).fill(429)]);
    // While the key has fewer left, its bucket is the one shown; then the project's.
    assert.equal(answers[0]?.headers.ratelimit, '"api-key";r=2;t=2');
    assert.equal(answers[7]?.headers.ratelimit, '"project";r=0;t=800');
    const refused = answers[8]!;
    assert.equal(refused.headers['ratelimit-policy'], '"project";q=8;w=800');
    assert.equal(refused.headers['retry-after'], '100');
    const body = refused.json();
    assertMatchesSeed('ErrorResponseSchema', body);
    assert.deepEqual(body, {
      status: 'error',
      error_code: 'RATE_LIMITED',
      message: 'Too many requests; retry after 100 seconds',
    });
    assert.equal(
      (await t.app.inject({ url: '/v1/call/', headers: { authorization: `Bearer ${t.keyB}` } })).statusCode,
      200,
      'another project has its own budget',
    );
  });
});

describe('unauthenticated floods', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ rateLimits: { unauthenticated: { name: 'unauthenticated', burst: 5, perSecond: 0.01 } } });
  });
  after(() => t.close());

  test('are limited per client address before the store is asked, and valid keys keep working', async () => {
    const queries = queryCounter();
    const app = await buildApp({
      db: t.store.db.withPlugin(queries.plugin),
      recordings: { blobs: t.blobs },
      rateLimits: new RateLimits(
        { unauthenticated: { name: 'unauthenticated', burst: 5, perSecond: 0.01 } },
        new MemoryLimiter(),
      ),
    });
    try {
      const attempt = (authorization?: string, remoteAddress = '203.0.113.7') =>
        app.inject({ url: '/v1/call/', remoteAddress, headers: authorization ? { authorization } : {} });
      assert.equal((await attempt(`Bearer ${t.keyA}`)).statusCode, 200, 'a valid key, now known to this process');
      const wrong = `Bearer sk-${'0'.repeat(64)}`;
      const flood = [];
      for (let i = 0; i < 8; i += 1) flood.push(await attempt(i % 2 === 0 ? wrong : undefined));
      assert.deepEqual(
        flood.map((a) => a.statusCode),
        [401, 401, 401, 401, 401, 429, 429, 429],
      );
      assert.equal(flood[5]?.json().error_code, 'RATE_LIMITED');
      assert.match(String(flood[5]?.headers['retry-after']), /^\d+$/);

      const before = queries.count;
      for (let i = 0; i < 50; i += 1) assert.equal((await attempt(wrong)).statusCode, 429);
      assert.equal(queries.count - before, 0, 'a limited address costs no store query');

      assert.equal((await attempt(`Bearer ${t.keyA}`)).statusCode, 200, 'the valid key is not held up');
      assert.equal((await attempt(wrong, '198.51.100.9')).statusCode, 401, 'other addresses have their own bucket');
    } finally {
      await app.close();
    }
  });
});

/**
 * The store, and a way to wait for its next answer to have been handed over: a top-up runs in
 * the background, and its answer is applied in the microtasks right after the query resolves.
 */
function watched(db: Db): { db: Db; nextAnswer(): Promise<void> } {
  const waiting: (() => void)[] = [];
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      setImmediate(() => waiting.splice(0).forEach((resolve) => resolve()));
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), nextAnswer: () => new Promise((resolve) => waiting.push(resolve)) };
}

describe(
  'rate limits shared across processes [postgres]',
  { skip: postgresAdminUrl ? false : 'DIGA_TEST_DATABASE_URL is not set' },
  () => {
    test('two app instances on one database spend one bucket per key', async () => {
      const policy = { name: 'api-key', burst: 6, perSecond: 0.01 };
      const t = await buildTestApp({ backend: 'postgres', rateLimits: { apiKey: policy } });
      const second = await buildApp({
        db: t.store.db,
        recordings: { blobs: t.blobs },
        rateLimits: new RateLimits({ apiKey: policy }, new SharedLimiter(t.store.db)),
      });
      try {
        const statuses = [];
        for (let i = 0; i < 12; i += 1) {
          const app = i % 2 === 0 ? t.app : second;
          statuses.push(
            (await app.inject({ url: '/v1/call/', headers: { authorization: `Bearer ${t.keyA}` } })).statusCode,
          );
        }
        assert.equal(statuses.filter((s) => s === 200).length, 6, statuses.join(' '));
        assert.deepEqual(statuses.slice(6), [429, 429, 429, 429, 429, 429]);
      } finally {
        await second.close();
        await t.close();
      }
    });

    test(
      'a lease in use is topped up in the background, never above its size, and never waits',
      { timeout: 10_000 },
      async () => {
        // A lease is 10 tokens (burst / 20) and lives 1,000 ms on this clock.
        const policy = { name: 'api-key', burst: 200, perSecond: 0.01 };
        const store = await openTestStore('postgres');
        const { db, nextAnswer } = watched(store.store.db);
        let now = 0;
        const limiter = new SharedLimiter(db, 1000, 100, () => now);
        const takenFromBucket = async () => {
          const { rows } = await sql<{ tokens: number }>`SELECT tokens FROM rate_limit_buckets`.execute(store.store.db);
          return Math.round(policy.burst - Number(rows[0]?.tokens));
        };
        try {
          assert.equal((await limiter.take('key:k', policy)).allowed, true, 'the first request leases 10');
          let spent = 1;
          const spend = () => {
            const decision = limiter.takeNow('key:k', policy);
            if (decision !== undefined) spent += 1;
            return decision;
          };
          // Down to a quarter of its tokens (2 left), one request asks for the 8 it lacks; none waits.
          let answered = nextAnswer();
          for (let i = 0; i < 8; i += 1) assert.ok(spend()?.allowed);
          await answered;
          assert.equal(await takenFromBucket(), 18);
          // Near the end of its life (200 of 1,000 ms left), one request asks for the 2 it lacks ...
          now = 800;
          answered = nextAnswer();
          assert.ok(spend()?.allowed);
          await answered;
          assert.equal(await takenFromBucket(), 20);
          // ... and the lease answers past its first expiry, until 800 + 1,000 ms.
          now = 1500;
          for (let i = 0; i < 5; i += 1) assert.ok(spend()?.allowed);
          now = 1800;
          assert.equal(spend(), undefined, 'then only the database can say');
          assert.equal(spent, 15);
          assert.ok((await takenFromBucket()) - spent <= 10, 'the process never held more than a lease');
        } finally {
          await store.close();
        }
      },
    );

    test('a top-up that finds the bucket dry leaves the lease to run out', { timeout: 10_000 }, async () => {
      const policy = { name: 'api-key', burst: 200, perSecond: 0.01 };
      const store = await openTestStore('postgres');
      const { db, nextAnswer } = watched(store.store.db);
      let now = 0;
      const limiter = new SharedLimiter(db, 1000, 100, () => now);
      try {
        assert.equal((await limiter.take('key:k', policy)).allowed, true, '10 leased, 9 left');
        // Another process takes the rest of the bucket.
        assert.equal((await takeTokens(store.store.db, 'key:k', 1000, policy.burst, policy.perSecond)).granted, 190);
        now = 500;
        const answered = nextAnswer();
        for (let i = 0; i < 7; i += 1) assert.ok(limiter.takeNow('key:k', policy)?.allowed, 'down to 2: a top-up');
        await answered;
        now = 1200;
        assert.equal(
          limiter.takeNow('key:k', policy),
          undefined,
          'not renewed by an empty grant: it ended at 1,000 ms',
        );
      } finally {
        await store.close();
      }
    });
  },
);

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { assertMatchesSeed } from '../helpers/contract.js';

const ORIGIN = 'https://dashboard.example.com';

describe('response hygiene: security headers, caching, CORS', () => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ app: { corsOrigins: new Set([ORIGIN]), hsts: true } });
  });
  after(() => t.close());

  const auth = () => ({ authorization: `Bearer ${t.keyA}` });

  test('every kind of answer carries the security headers for a JSON API', async () => {
    const answers = await Promise.all([
      t.app.inject({ url: '/v1/call/', headers: auth() }),
      t.app.inject({ url: '/v1/call/' }),
      t.app.inject({ url: '/v1/call/not-a-uuid', headers: auth() }),
      t.app.inject({ url: '/nowhere' }),
      t.app.inject({ url: '/healthz' }),
      t.app.inject({ url: '/v1/call/%E0%A4%A' }),
    ]);
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 401, 422, 404, 200, 400],
    );
    for (const answer of answers) {
      assert.equal(answer.headers['x-content-type-options'], 'nosniff');
      assert.equal(answer.headers['x-frame-options'], 'DENY');
      assert.equal(answer.headers['referrer-policy'], 'no-referrer');
      assert.equal(answer.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
      assert.equal(answer.headers['strict-transport-security'], 'max-age=31536000');
      assert.equal(answer.headers['x-powered-by'], undefined);
      assert.match(String(answer.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    }
    // Authenticated answers are never cached, whatever their status.
    assert.equal(answers[0]?.headers['cache-control'], 'no-store');
    assert.equal(answers[2]?.headers['cache-control'], 'no-store');
  });

  test('the Swagger UI page is served without the CSP that would stop its scripts', async () => {
    const docs = await t.app.inject({ url: '/docs/' });
    assert.equal(docs.statusCode, 200);
    assert.equal(docs.headers['content-security-policy'], undefined);
    assert.equal(docs.headers['x-content-type-options'], 'nosniff');
  });

  test('CORS: a listed origin gets the CORS headers and its preflights answered', async () => {
    const get = await t.app.inject({ url: '/v1/call/', headers: { ...auth(), origin: ORIGIN } });
    assert.equal(get.statusCode, 200);
    assert.equal(get.headers['access-control-allow-origin'], ORIGIN);
    assert.equal(get.headers.vary, 'Origin');
    assert.match(String(get.headers['access-control-expose-headers']), /X-Request-Id/);
    assert.equal(get.headers['access-control-allow-credentials'], undefined);

    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/call/3c90c3cc-0d44-4b50-8888-8dd25736052a',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], ORIGIN);
    assert.match(String(preflight.headers['access-control-allow-methods']), /GET/);
    assert.match(String(preflight.headers['access-control-allow-headers']), /Authorization/);
  });

  test('CORS: any other origin gets no CORS headers, and its preflight a 403 in the envelope', async () => {
    const evil = 'https://evil.example';
    const get = await t.app.inject({ url: '/v1/call/', headers: { ...auth(), origin: evil } });
    assert.equal(get.statusCode, 200);
    assert.equal(get.headers['access-control-allow-origin'], undefined);

    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/call/',
      headers: { origin: evil, 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.statusCode, 403);
    const body = preflight.json();
    assertMatchesSeed('ErrorResponseSchema', body);
    assert.equal(body.error_code, 'CORS_ORIGIN_NOT_ALLOWED');
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  });

  test('CORS is closed by default, and OPTIONS without a preflight is answered like any unknown method', async () => {
    const closed = await buildTestApp();
    try {
      const preflight = await closed.app.inject({
        method: 'OPTIONS',
        url: '/v1/call/',
        headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
      });
      assert.equal(preflight.statusCode, 403);
      const get = await closed.app.inject({ url: '/v1/call/', headers: { origin: ORIGIN } });
      assert.equal(get.headers['access-control-allow-origin'], undefined);
    } finally {
      await closed.close();
    }
    const plain = await t.app.inject({ method: 'OPTIONS', url: '/v1/call/' });
    assert.equal(plain.statusCode, 405);
    assert.match(String(plain.headers.allow), /GET/);
    const unknown = await t.app.inject({ method: 'OPTIONS', url: '/nowhere' });
    assert.equal(unknown.statusCode, 404);
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeEachBackend } from '../../helpers/backends.js';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { assertMatchesReference } from '../../helpers/contract.js';

describeEachBackend('API keys: /v1/api_key/', (backend) => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ backend });
  });
  after(() => t.close());

  test('create returns the value once; get and list never show it', async () => {
    const created = await t.api.post('/v1/api_key/', {
      name: 'reporting',
      restricted: true,
      permissions: ['calls.view', 'messages.view', 'calls.view'],
    });
    assert.equal(created.statusCode, 200, created.body);
    const key = created.json();
    assertMatchesReference('ApiKeyResponse', key);
    assert.deepEqual(Object.keys(key), [
      'id',
      'name',
      'created_date',
      'last_four_digits',
      'creator_id',
      'permissions',
      'restricted',
      'value',
    ]);
    assert.match(key.value, /^sk-[0-9a-f]{64}$/);
    assert.equal(key.last_four_digits, key.value.slice(-4));
    assert.deepEqual(key.permissions, ['calls.view', 'messages.view']);
    assert.equal(key.restricted, true);

    const fetched = (await t.api.get(`/v1/api_key/${key.id}`)).json();
    assertMatchesReference('RedactedApiKeyResponseSchema', fetched);
    assert.equal('value' in fetched, false);
    const { value: _value, ...redacted } = key;
    assert.deepEqual(fetched, redacted);

    const list = await t.api.get('/v1/api_key/?limit=100');
    assertMatchesReference('PaginatedResponse_RedactedApiKeyResponseSchema_', list.json());
    assert.ok(list.json().data.some((k: { id: string }) => k.id === key.id));
    assert.doesNotMatch(list.body, /sk-[0-9a-f]{64}/, 'no value anywhere in a listing');

    // The new key works, with exactly its permissions.
    assert.equal((await t.api.get('/v1/call/', { key: key.value })).statusCode, 200);
    assert.equal((await t.api.get('/v1/api_key/', { key: key.value })).statusCode, 403);
  });

  test('delete revokes at once: the next request with the key is a 401', async () => {
    const key = (await t.api.post('/v1/api_key/', { name: 'temp', restricted: false })).json();
    assert.equal((await t.api.get('/v1/call/', { key: key.value })).statusCode, 200, 'cached as verified');
    const deleted = await t.api.delete(`/v1/api_key/${key.id}`);
    assert.equal(deleted.statusCode, 200);
    assert.equal(deleted.body, 'null');
    const after = await t.api.get('/v1/call/', { key: key.value });
    assert.equal(after.statusCode, 401);
    assert.equal((await t.api.get(`/v1/api_key/${key.id}`)).statusCode, 404);
    assert.equal((await t.api.delete(`/v1/api_key/${key.id}`)).statusCode, 404);
  });

  test('patch renames, narrows and sets expiry; narrowing applies to the very next request', async () => {
    const key = (
      await t.api.post('/v1/api_key/', { name: 'ops', restricted: true, permissions: ['calls.view'] })
    ).json();
    assert.equal((await t.api.get('/v1/call/', { key: key.value })).statusCode, 200);
    const patched = await t.api.patch(`/v1/api_key/${key.id}`, {
      name: 'ops (read transcripts)',
      permissions: ['messages.view'],
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assertMatchesReference('RedactedApiKeyResponseSchema', patched.json());
    assert.equal(patched.json().name, 'ops (read transcripts)');
    assert.deepEqual(patched.json().permissions, ['messages.view']);
    assert.equal((await t.api.get('/v1/call/', { key: key.value })).statusCode, 403);

    const soon = new Date(t.clock.nowMs() + 400).toISOString();
    assert.equal((await t.api.patch(`/v1/api_key/${key.id}`, { expiry_date: soon })).statusCode, 200);
    t.clock.advance(600);
    assert.equal((await t.api.get(`/v1/call/${randomUUID()}/message`, { key: key.value })).statusCode, 401, 'expired');

    const unrestricted = await t.api.patch(`/v1/api_key/${key.id}`, { restricted: false });
    assert.equal(unrestricted.json().permissions, null);
    assert.equal(unrestricted.json().restricted, false);
  });

  test("a key's expiry is a ceiling: it cannot extend itself, nor make or widen a key that outlives it", async () => {
    const at = (seconds: number) => new Date(t.clock.nowMs() + seconds * 1000).toISOString();
    const admin = await t.keyFor(
      t.projectA,
      ['api_keys.create', 'api_keys.update', 'api_keys.view', 'calls.view'],
      (t.clock.nowMs() + 60_000) * 1000,
    );
    const self = (await t.api.get('/v1/api_key/?limit=100'))
      .json()
      .data.find((k: { last_four_digits: string }) => k.last_four_digits === admin.slice(-4)).id;
    const beyond = 'create an API key that expires after the key making the request';
    const refused = async (
      answer: { statusCode: number; json(): { error_code: string; message: string } },
      action: string,
    ) => {
      assert.equal(answer.statusCode, 403);
      assert.equal(answer.json().error_code, 'MISSING_PERMISSIONS');
      assert.equal(answer.json().message, `Missing required permissions to ${action}`);
    };
    const changeBeyond = beyond.replace('create', 'change');

    await refused(await t.api.patch(`/v1/api_key/${self}`, { expiry_date: null }, { key: admin }), changeBeyond);
    await refused(await t.api.patch(`/v1/api_key/${self}`, { expiry_date: at(120) }, { key: admin }), changeBeyond);
    assert.equal((await t.api.patch(`/v1/api_key/${self}`, { expiry_date: at(30) }, { key: admin })).statusCode, 200);

    const minted = (body: object) =>
      t.api.post(
        '/v1/api_key/',
        { name: 'minted', restricted: true, permissions: ['calls.view'], ...body },
        { key: admin },
      );
    await refused(await minted({}), beyond);
    await refused(await minted({ expiry_date: at(45) }), beyond);
    const within = await minted({ expiry_date: at(10) });
    assert.equal(within.statusCode, 200, within.body);

    const forever = (
      await t.api.post('/v1/api_key/', { name: 'forever', restricted: true, permissions: ['calls.view'] })
    ).json();
    assert.equal((await t.api.patch(`/v1/api_key/${forever.id}`, { name: 'renamed' }, { key: admin })).statusCode, 200);
    await refused(
      await t.api.patch(`/v1/api_key/${forever.id}`, { permissions: ['calls.view', 'api_keys.view'] }, { key: admin }),
      changeBeyond,
    );

    t.clock.advance(31_000);
    assert.equal((await t.api.get('/v1/api_key/', { key: admin })).statusCode, 401, 'the ceiling held: it expired');
    assert.equal((await t.api.get('/v1/call/', { key: within.json().value })).statusCode, 401, 'and so did its key');
  });

  test('a restricted key can never create or widen a key beyond its own permissions', async () => {
    const admin = (
      await t.api.post('/v1/api_key/', {
        name: 'key admin',
        restricted: true,
        permissions: ['api_keys.create', 'api_keys.update', 'api_keys.delete', 'api_keys.view', 'calls.view'],
      })
    ).json().value;
    const within = await t.api.post(
      '/v1/api_key/',
      {
        name: 'child',
        restricted: true,
        permissions: ['calls.view'],
      },
      { key: admin },
    );
    assert.equal(within.statusCode, 200);
    const denied = [
      await t.api.post('/v1/api_key/', { name: 'x', restricted: false }, { key: admin }),
      await t.api.post('/v1/api_key/', { name: 'x', restricted: true, permissions: ['calls.delete'] }, { key: admin }),
      await t.api.patch(
        `/v1/api_key/${within.json().id}`,
        { permissions: ['calls.view', 'calls.delete'] },
        { key: admin },
      ),
      await t.api.patch(`/v1/api_key/${within.json().id}`, { restricted: false }, { key: admin }),
      await t.api.delete(
        `/v1/api_key/${(await t.api.get('/v1/api_key/?limit=1000')).json().data.find((k: { restricted: boolean }) => !k.restricted).id}`,
        { key: admin },
      ),
    ];
    for (const response of denied) {
      assert.equal(response.statusCode, 403, response.body);
      assert.equal(response.json().error_code, 'MISSING_PERMISSIONS');
    }
    assert.deepEqual((await t.api.get(`/v1/api_key/${within.json().id}`)).json().permissions, ['calls.view']);
  });

  test('bad bodies are FastAPI 422s', async () => {
    const cases: [object, string, unknown[]][] = [
      [{ restricted: true }, 'missing', ['body', 'name']],
      [{ name: 'x' }, 'missing', ['body', 'restricted']],
      [{ name: 'x', restricted: 'yes' }, 'bool_type', ['body', 'restricted']],
      [{ name: 'x', restricted: true, permissions: ['calls.fly'] }, 'enum', ['body', 'permissions', 0]],
      [
        { name: 'x', restricted: false, expiry_date: 'tomorrow' },
        'datetime_from_date_parsing',
        ['body', 'expiry_date'],
      ],
      [{ name: 'x', restricted: false, expiry_date: '2020-01-01T00:00:00Z' }, 'value_error', ['body', 'expiry_date']],
    ];
    for (const [body, type, loc] of cases) {
      const response = await t.api.post('/v1/api_key/', body);
      assert.equal(response.statusCode, 422, JSON.stringify(body));
      const issue = response
        .json()
        .detail.find((d: { loc: unknown[] }) => JSON.stringify(d.loc) === JSON.stringify(loc));
      assert.ok(issue, `${JSON.stringify(body)}: ${response.body}`);
      assert.equal(issue.type, type);
    }
  });

  test("another project's key answers exactly like a key that does not exist", async () => {
    const ofB = (await t.api.post('/v1/api_key/', { name: 'b', restricted: false }, { key: t.keyB })).json();
    const missing = randomUUID();
    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { name: 'stolen' }],
      ['DELETE', undefined],
    ] as const) {
      const foreign = await t.api.request(method, `/v1/api_key/${ofB.id}`, payload);
      const absent = await t.api.request(method, `/v1/api_key/${missing}`, payload);
      assert.equal(foreign.statusCode, 404);
      assert.deepEqual(foreign.json(), {
        status: 'error',
        error_code: 'API_KEY_NOT_FOUND',
        message: 'Error from ApiKeyNotFoundException',
      });
      assert.equal(foreign.body, absent.body);
    }
    const listed = (await t.api.get('/v1/api_key/?limit=1000')).json();
    assert.ok(!listed.data.some((k: { id: string }) => k.id === ofB.id));
    assert.equal((await t.api.get('/v1/call/', { key: ofB.value })).statusCode, 200, "B's key still works");
  });

  test('pagination walks every key once', async () => {
    for (let i = 0; i < 7; i++)
      await t.api.post('/v1/api_key/', { name: `bulk ${i}`, restricted: false }, { key: t.keyB });
    const all = (await t.api.get('/v1/api_key/?limit=1000', { key: t.keyB }))
      .json()
      .data.map((k: { id: string }) => k.id);
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; has_more: boolean; last_id: string } = (
        await t.api.get(`/v1/api_key/?limit=3${cursor ? `&after=${cursor}` : ''}`, { key: t.keyB })
      ).json();
      walked.push(...page.data.map((k) => k.id));
      cursor = page.has_more ? page.last_id : null;
    } while (cursor);
    assert.deepEqual(walked, all);
    const paged = (await t.api.get('/v1/api_key/?page=2&limit=3', { key: t.keyB })).json();
    assert.equal(paged.current_page, 2);
    assert.equal(paged.total_pages, Math.ceil(all.length / 3));
  });
});

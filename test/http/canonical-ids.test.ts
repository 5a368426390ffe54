import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { canonicalizerFor } from '../../src/http/canonical-ids.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { describeEachBackend } from '../helpers/backends.js';

const ID = '0f84a8d2-cb2b-44ae-afb1-cc6b5ab14666';
/** Forms pydantic accepts for ID. */
const FORMS = [ID.toUpperCase(), `urn:uuid:${ID}`, `{${ID}}`, ID.replaceAll('-', '')];

describe('canonical ids from the schema', () => {
  const uuid = { type: 'string', format: 'uuid' };
  const shared = new Map<string, object>([
    ['Ref', { $id: 'Ref', type: 'object', properties: { id: uuid, name: { type: 'string' } } }],
  ]);

  test('rewrites every place the schema marks as a UUID, and nothing else', () => {
    const canonicalize = canonicalizerFor(
      {
        type: 'object',
        properties: {
          id: uuid,
          ids: { type: 'array', items: uuid },
          maybe: { anyOf: [uuid, { type: 'null' }] },
          nested: { $ref: 'Ref' },
          name: { type: 'string' },
        },
      },
      shared,
    );
    assert.ok(canonicalize);
    for (const form of FORMS) {
      const value = { id: form, ids: [form, form], maybe: form, nested: { id: form, name: form }, name: form };
      canonicalize(value);
      assert.deepEqual(value, { id: ID, ids: [ID, ID], maybe: ID, nested: { id: ID, name: form }, name: form });
    }
    const absent = { maybe: null };
    canonicalize(absent);
    assert.deepEqual(absent, { maybe: null });
  });

  test('is absent for a schema without UUIDs, and ends on a recursive one', () => {
    assert.equal(canonicalizerFor({ type: 'object', properties: { name: { type: 'string' } } }, shared), undefined);
    const tree = new Map<string, object>([
      [
        'Node',
        { $id: 'Node', type: 'object', properties: { id: uuid, children: { type: 'array', items: { $ref: 'Node' } } } },
      ],
    ]);
    const canonicalize = canonicalizerFor({ $ref: 'Node' }, tree);
    const value = { id: FORMS[0], children: [{ id: FORMS[1] }] };
    canonicalize?.(value);
    assert.deepEqual(value, { id: ID, children: [{ id: FORMS[1] }] });
  });
});

describeEachBackend('ids in any accepted form reach handlers canonical', (backend) => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ backend });
  });
  after(() => t.close());
  const send = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${t.keyA}` }, ...(payload && { payload }) });

  test('a path parameter: /v1/api_key/{id} read and deleted through other forms of its id', async () => {
    const created = await send('POST', '/v1/api_key/', { name: 'forms', restricted: false });
    assert.equal(created.statusCode, 200, created.body);
    const id = (created.json() as { id: string }).id;
    for (const form of [id.toUpperCase(), `urn:uuid:${id}`, `{${id}}`, id.replaceAll('-', '')]) {
      const response = await send('GET', `/v1/api_key/${encodeURIComponent(form)}`);
      assert.equal(response.statusCode, 200, `${form}: ${response.body}`);
      assert.equal((response.json() as { id: string }).id, id);
    }
    assert.equal(
      (await send('DELETE', `/v1/api_key/${encodeURIComponent(`urn:uuid:${id.toUpperCase()}`)}`)).statusCode,
      200,
    );
    assert.equal((await send('GET', `/v1/api_key/${id}`)).statusCode, 404);
  });
});

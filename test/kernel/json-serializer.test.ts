import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { serializerFor } from '../../src/kernel/json-serializer.js';
import { Nullable } from '../../src/kernel/typebox.js';

describe('response bodies written by their schema', () => {
  const Contact = Type.Object(
    { id: Type.String(), title: Type.String({ description: 'a property named as a keyword' }) },
    { $id: 'Contact' },
  );
  const Call = Type.Object(
    {
      id: Type.String({ format: 'uuid', title: 'Call ID' }),
      status: Type.String(),
      duration: Nullable(Type.Integer()),
      contact: Type.Ref(Contact),
      dynamic_variables: Nullable(Type.Object({}, { additionalProperties: true })),
      required: Type.Optional(Type.Boolean()),
    },
    { description: 'required keys first is what fast-json-stringify would do' },
  );
  const serialize = serializerFor(Call, [Contact]);

  test("keys in the schema's declared order, whatever order the value has", () => {
    const body = serialize({
      dynamic_variables: { b: 1, a: [1, 2] },
      contact: { title: 'Dr', id: 'c1' },
      duration: 60,
      status: 'completed',
      id: 'x',
    });
    assert.equal(
      body,
      '{"id":"x","status":"completed","duration":60,"contact":{"id":"c1","title":"Dr"},"dynamic_variables":{"b":1,"a":[1,2]}}',
    );
  });

  test('nulls stay nulls, undeclared keys stay out, a property named like a keyword stays in', () => {
    const body = serialize({
      id: 'x',
      status: 'dialing',
      duration: null,
      contact: { id: 'c1', title: 'Sr', secret: 'no' },
      dynamic_variables: null,
      required: true,
      internal: 'never sent',
    });
    assert.equal(
      body,
      '{"id":"x","status":"dialing","duration":null,"contact":{"id":"c1","title":"Sr"},"dynamic_variables":null,"required":true}',
    );
  });

  test('equal as JSON.stringify for what the contract sends', () => {
    const value = {
      id: 'x',
      status: 'completed',
      duration: 3,
      contact: { id: 'c', title: 'Ñandú "quoted" \\ \u2028 \ud83d\ude00' },
      dynamic_variables: { nested: { deep: [null, true, 1.5, 'ü'] } },
    };
    assert.equal(serialize(value), JSON.stringify(value));
  });

  test('shapes that differ only in their documentation share one compiled serializer', () => {
    const a = Type.Object({ status: Type.String(), message: Type.String() }, { description: 'Not found' });
    const b = Type.Object({ status: Type.String(), message: Type.String() }, { description: 'Forbidden' });
    assert.equal(serializerFor(a), serializerFor(b));
  });
});

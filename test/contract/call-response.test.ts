import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { CallResponseSchema, ContactResponseSchema, type CallResponse } from '../../src/contract/calls.js';
import { renderCallView, type CallColumns } from '../../src/contract/call-response.js';
import { parseInstant } from '../../src/kernel/time.js';
import { assertMatchesSeed } from '../helpers/contract.js';

const at = (text: string) => parseInstant(text) as number;

const ended: CallColumns = {
  id: randomUUID(),
  agent_id: randomUUID(),
  agent_version_id: null,
  status: 'completed',
  recording_url: 'https://recordings.example/a.mp3',
  start_time: at('2026-11-20T10:00:04Z'),
  end_time: at('2026-11-20T10:01:04.5Z'),
  duration: 60,
  type: 'outbound',
  end_reason: 'customer_hangup',
  contact_id: randomUUID(),
  contact_created_date: at('2026-11-19T08:00:00.000001Z'),
  contact_identifier: '+34600111222',
  contact_type: 'call',
  phone_register_id: randomUUID(),
  dynamic_variables: '{"name":"Lucía","nested":{"b":1,"a":[1,2]}}',
  created_date: at('2026-11-20T10:00:00Z'),
};

test("a call's view is its CallResponse: the contract's keys in the contract's order, valid against the seed", () => {
  for (const call of [
    ended,
    {
      ...ended,
      status: 'dialing',
      recording_url: null,
      start_time: null,
      end_time: null,
      duration: null,
      end_reason: null,
      dynamic_variables: null,
    },
  ]) {
    const view = JSON.parse(renderCallView(call)) as CallResponse;
    assert.deepEqual(Object.keys(view), Object.keys(CallResponseSchema.properties));
    assert.deepEqual(Object.keys(view.contact), Object.keys(ContactResponseSchema.properties));
    assertMatchesSeed('CallResponse', view);
  }
});

test('instants as pydantic writes them, dynamic variables as the runtime sent them', () => {
  const view = JSON.parse(renderCallView(ended)) as CallResponse;
  assert.equal(view.end_time, '2026-11-20T10:01:04.500000Z');
  assert.equal(view.created_date, '2026-11-20T10:00:00Z');
  assert.equal(view.contact.created_date, '2026-11-19T08:00:00.000001Z');
  assert.ok(renderCallView(ended).includes('"dynamic_variables":{"name":"Lucía","nested":{"b":1,"a":[1,2]}}'));
});

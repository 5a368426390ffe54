import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { renderCallView, type CallColumns } from '../../../src/contract/call-response.js';
import { servedView, type CallReader } from '../../../src/domain/calls/call-views.js';
import type { Grant } from '../../../src/domain/api-keys/permissions.js';
import type { Permission } from '../../../src/contract/api-keys.js';

/**
 * servedView is the one place a stored call view becomes an answer: GET /v1/call/{id} (both
 * doors), the listing and POST /v1/call/'s replay all go through it, so what a reader may see
 * of recording_url is decided here.
 */

const AT = Date.parse('2026-11-20T10:00:00Z') * 1000;

function columns(recordingUrl: string | null, dynamicVariables: object | null = null): CallColumns {
  return {
    id: randomUUID(),
    agent_id: null,
    agent_version_id: null,
    status: 'completed',
    recording_url: recordingUrl,
    start_time: AT,
    end_time: AT + 30_000_000,
    duration: 30,
    type: 'inbound',
    end_reason: 'customer_hangup',
    contact_id: randomUUID(),
    contact_created_date: AT,
    contact_identifier: '+34600111222',
    contact_type: 'call',
    phone_register_id: null,
    dynamic_variables: dynamicVariables === null ? null : JSON.stringify(dynamicVariables),
    created_date: AT,
  };
}

const grant = (permissions: Permission[] | null): Grant => ({
  permissions: permissions === null ? null : new Set(permissions),
});
const signed = (callId: string) => `https://api.example.com/v1/recording/${callId}/audio?expires=1&signature=ab`;
const reader = (permissions: Permission[] | null): CallReader => ({
  grant: grant(permissions),
  recordingUrlOf: signed,
});

/** The stored view of a call as the store hands it over, with or without audio stored here. */
function stored(call: CallColumns, storedHere: boolean) {
  return {
    view: renderCallView(call),
    recording_url: call.recording_url,
    stored_recording: storedHere ? call.id : null,
  };
}

/** The view with recording_url set to `url`, every other byte as rendered. */
const withUrl = (call: CallColumns, url: string | null) => renderCallView({ ...call, recording_url: url });

const RUNTIME_URL = 'https://recordings.example/a.mp3';
/** A URL whose JSON has escapes, and the field's own key inside it. */
const AWKWARD_URL = 'https://recordings.example/"recording_url":\\"x\\"/ñ\u2028?a="b"';

test('a reader without recordings.view gets recording_url null, whoever stored the audio', () => {
  for (const permissions of [['calls.view'], ['calls.create'], []] as Permission[][]) {
    for (const url of [RUNTIME_URL, AWKWARD_URL, null]) {
      for (const storedHere of [true, false]) {
        const call = columns(url);
        const served = servedView(stored(call, storedHere), {
          grant: grant(permissions),
          recordingUrlOf: () => assert.fail('nothing to sign for this reader'),
        });
        assert.equal(served, withUrl(call, null), `${permissions.join('+') || 'nothing'}, ${url}, ${storedHere}`);
      }
    }
  }
});

test('even when the row does not name the runtime URL (the store reads it only for audio stored here)', () => {
  const call = columns(RUNTIME_URL);
  const row = { view: renderCallView(call), recording_url: null, stored_recording: null };
  assert.equal(servedView(row, reader(['calls.view'])), withUrl(call, null));
});

test('a reader with recordings.view gets the signed URL for audio stored here, else the runtime URL', () => {
  for (const permissions of [null, ['calls.view', 'recordings.view'], ['calls.create', 'recordings.view']] as const) {
    for (const url of [RUNTIME_URL, AWKWARD_URL, null]) {
      const call = columns(url);
      const r = reader(permissions === null ? null : [...permissions]);
      assert.equal(servedView(stored(call, true), r), withUrl(call, signed(call.id)));
      assert.equal(servedView(stored(call, false), r), renderCallView(call));
    }
  }
});

test('only the field changes: the same key inside dynamic_variables is left as it is', () => {
  const variables = { note: '"recording_url":"https://elsewhere.example/x"', recording_url: RUNTIME_URL };
  const call = columns(RUNTIME_URL, variables);
  const hiddenView = JSON.parse(servedView(stored(call, true), reader(['calls.view'])));
  assert.equal(hiddenView.recording_url, null);
  assert.deepEqual(hiddenView.dynamic_variables, variables);
  const shownView = JSON.parse(servedView(stored(call, true), reader(null)));
  assert.equal(shownView.recording_url, signed(call.id));
  assert.deepEqual(shownView.dynamic_variables, variables);
});

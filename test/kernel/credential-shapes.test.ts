import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { isSensitiveName, looksLikeCredential } from '../../src/kernel/credential-shapes.js';

const hex = randomBytes(32).toString('hex');

describe('credential shapes', () => {
  test('keys, tokens, secrets and signatures are recognised, however encoded', () => {
    for (const value of [
      `sk-${hex}`,
      `rt-${hex}`,
      `whsec_${hex}`,
      `SK-${hex.toUpperCase()}`,
      `sk%2D${hex}`,
      `sk%252D${hex}`,
      [...`sk-${hex}`].map((c) => `%25${c.charCodeAt(0).toString(16)}`).join(''),
      `Bearer%20abcdefgh123`,
      `bearer+${randomBytes(12).toString('base64url')}`,
      hex.slice(0, 40),
      randomBytes(30).toString('base64'),
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig',
      `owner:${hex}`,
      `%${'25'.repeat(9)}41`, // still encoded after eight rounds
    ]) {
      assert.equal(looksLikeCredential(value), true, value);
    }
  });

  test('the values this API and its clients put in URLs and request ids are not', () => {
    for (const value of [
      '0b7c2a1e-3f4d-4e5a-8b9c-0d1e2f3a4b5c',
      '0b7c2a1e3f4d4e5a8b9c0d1e2f3a4b5c',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '2026-11-20T10:00:00.000000Z',
      '%2B15551234567',
      'client-id.42',
      'a-long-hyphenated-name-of-a-thing-with-words-2024',
      'Bearer',
      'limit=100',
      'task-0123',
      '',
    ]) {
      assert.equal(looksLikeCredential(value), false, value);
    }
  });

  test('names that say their value is secret, in any case, separator or encoding', () => {
    for (const name of ['authorization', 'Authorization', 'api_key', 'X-Api-Key', 'apiKey', '%73ignature', 'token']) {
      assert.equal(isSensitiveName(name), true, name);
    }
    for (const name of ['limit', 'cursor', 'expand', 'status', 'expires', 'agent_id', 'created_after']) {
      assert.equal(isSensitiveName(name), false, name);
    }
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionCapsFor, openFileLimit } from '../../src/http/connection-caps.js';

test('connection caps default to below the open-file limit, with a share per address', () => {
  const caps = (fdLimit: number | undefined, behindProxy = false) =>
    connectionCapsFor({}, { poolSize: 10, behindProxy, fdLimit });
  assert.deepEqual(caps(300), { max: 226, perAddress: 56 }, '300 - 64 - the pool; a quarter per address');
  assert.deepEqual(caps(1_048_576), { max: 4096, perAddress: 256 });
  assert.deepEqual(caps(undefined), { max: 4096, perAddress: 256 }, 'a system that does not say');
  assert.deepEqual(caps(50), { max: 1, perAddress: 1 }, 'never none');
  assert.deepEqual(caps(300, true), { max: 226, perAddress: 226 }, "behind a proxy, the proxy's to cap");
  assert.deepEqual(
    connectionCapsFor({ max: 100, perAddress: 7 }, { poolSize: 10, behindProxy: true, fdLimit: 300 }),
    { max: 100, perAddress: 7 },
    'what is configured wins',
  );
  if (process.platform === 'linux') assert.ok((openFileLimit() ?? 0) > 0, 'read from /proc/self/limits');
});

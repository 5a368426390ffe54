import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { forbiddenAddress, urlProblem, vettedAddresses } from '../../../src/domain/webhooks/url-policy.js';

const strict = { allowHttp: false, allowedHosts: new Set<string>() };

describe('webhook URL policy', () => {
  test('https only by default; http only when allowed; never credentials', () => {
    assert.equal(urlProblem('https://hooks.example.com/x', strict), undefined);
    assert.equal(urlProblem('http://hooks.example.com/x', strict), 'must use https');
    assert.equal(urlProblem('http://hooks.example.com/x', { ...strict, allowHttp: true }), undefined);
    assert.equal(urlProblem('https://a:b@hooks.example.com/x', strict), 'must not contain credentials');
    assert.equal(urlProblem('/relative', strict), 'must be an absolute URL');
  });

  test('public addresses pass; every forbidden class is named', () => {
    for (const ok of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])
      assert.equal(forbiddenAddress(ok), undefined, ok);
    for (const bad of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '::1',
      '::',
      'fd12::1',
      'fe80::1',
      'ff02::1',
      '::ffff:7f00:1',
      '::ffff:8.8.8.8',
    ]) {
      assert.ok(forbiddenAddress(bad), bad);
    }
  });

  test('the allow-list exempts exactly the hosts it names', async () => {
    const local = { allowHttp: true, allowedHosts: new Set(['127.0.0.1']) };
    assert.equal(urlProblem('http://127.0.0.1:9000/hook', local), undefined);
    assert.ok(urlProblem('http://127.0.0.2:9000/hook', local));
    assert.deepEqual(await vettedAddresses('127.0.0.1', local, async () => []), [{ address: '127.0.0.1', family: 4 }]);
    await assert.rejects(
      vettedAddresses('db.internal.example', strict, async () => [{ address: '10.0.0.5', family: 4 }]),
    );
    await assert.rejects(
      vettedAddresses('nowhere.example', strict, async () => []),
      /does not resolve/,
    );
  });
});

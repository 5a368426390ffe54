import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyAddress } from '../../../src/domain/webhooks/special-addresses.js';
import { assertDeliverable } from '../../../src/domain/webhooks/targets.js';
import { hostOf, urlProblem, vettedAddresses } from '../../../src/domain/webhooks/url-policy.js';
import {
  REACHABLE_LITERALS,
  REFUSED_LITERALS,
  REFUSED_NAMES,
  resolveRefusedName,
} from '../../helpers/refused-hosts.js';

const strict = { allowHttp: false, allowedHosts: new Set<string>() };
/** The address a URL's host is, as URL parsing normalises it (hex, octal, integer IPv4; IPv6 compressed). */
const addressOf = (host: string) => hostOf(new URL(`https://${host}/hook`));

describe('special-purpose addresses (IANA registries): decided on the address, not its spelling', () => {
  test('every spelling of a range that is not globally reachable is refused, naming the range', () => {
    for (const [host, why] of REFUSED_LITERALS) {
      const verdict = classifyAddress(addressOf(host));
      assert.equal(verdict.reachable, false, `${host} (${addressOf(host)})`);
      assert.match((verdict as { range: string }).range, why, host);
      assert.match(urlProblem(`https://${host}/hook`, strict) ?? '', /is not publicly reachable/, host);
    }
  });

  test('globally reachable addresses pass, NAT64 and 6to4 forms of a public IPv4 address included', () => {
    for (const host of REACHABLE_LITERALS) {
      assert.deepEqual(classifyAddress(addressOf(host)), { reachable: true }, host);
      assert.equal(urlProblem(`https://${host}/hook`, strict), undefined, host);
    }
  });

  test('the boundaries of each range are where the registries put them', () => {
    for (const [address, reachable] of [
      ['9.255.255.255', true],
      ['11.0.0.0', true],
      ['172.15.255.255', true],
      ['172.31.255.255', false],
      ['192.167.255.255', true],
      ['192.169.0.0', true],
      ['223.255.255.255', true],
      ['1fff:ffff::1', false],
      ['2001:1ff:ffff::1', false],
      ['2001:200::', true],
      ['2001:db7:ffff::1', true],
      ['2001:db9::1', true],
      ['3ffe::1', true],
      ['3fff:fff::1', false],
      ['3fff:1000::1', true],
      ['64:ff9b::', false],
      ['64:ff9b::1:0:0', false],
      ['fe7f::1', false],
    ] as const) {
      assert.equal(classifyAddress(address).reachable, reachable, address);
    }
  });

  test('a zone index is no way around it, and a host that is no address is not reachable', () => {
    assert.equal(classifyAddress('fe80::1%eth0').reachable, false);
    assert.equal(classifyAddress('hooks.example.com').reachable, false);
  });

  test('a name that resolves to any such address is refused without saying what it resolved to', async () => {
    for (const [name, answers] of Object.entries(REFUSED_NAMES)) {
      const refusal = await vettedAddresses(name, strict, resolveRefusedName).then(
        () => assert.fail(`${name} was accepted`),
        (error: Error) => error.message,
      );
      assert.equal(refusal, `${name} resolves to an address that is not publicly reachable`);
      for (const address of answers) assert.ok(!refusal.includes(address), `${name}: ${address} revealed`);
    }
  });

  test('a name that resolves only to public addresses is accepted at creation (no webhook is made here)', async () => {
    const targets = { policy: strict, resolve: async () => [{ address: '93.184.216.34', family: 4 }] };
    await assertDeliverable('https://hooks.example.com/hook', targets);
    await assert.rejects(
      assertDeliverable('https://vm.corp.test/hook', { policy: strict, resolve: resolveRefusedName }),
    );
  });
});

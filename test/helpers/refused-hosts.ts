/**
 * Hosts a webhook may never point at, each spelled as an attacker would write it in a URL, with
 * the range it really is. Shared by the classifier's table and the API's creation tests; only ever
 * sent to be refused (no test creates a webhook at any of them).
 */
export const REFUSED_LITERALS: readonly (readonly [host: string, why: RegExp])[] = [
  // IPv4, in the spellings URL parsing turns into a dotted quad.
  ['127.0.0.2', /loopback/],
  ['127.1', /loopback/],
  ['0x7f.1', /loopback/],
  ['2130706433', /loopback/],
  ['017700000001', /loopback/],
  ['0', /this network/],
  ['10.1.2.3', /private-use/],
  ['172.16.5.4', /private-use/],
  ['192.168.1.1', /private-use/],
  ['169.254.169.254', /link-local/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['100.127.255.255', /carrier-grade NAT/],
  ['192.0.0.170', /IETF protocol assignments/],
  ['192.0.2.1', /documentation/],
  ['198.51.100.7', /documentation/],
  ['203.0.113.1', /documentation/],
  ['192.88.99.1', /6to4 relay/],
  ['198.19.0.1', /benchmarking/],
  ['224.0.0.1', /multicast/],
  ['240.0.0.1', /reserved/],
  ['255.255.255.255', /reserved/],
  // IPv6 ranges of their own.
  ['[::]', /unspecified/],
  ['[::1]', /loopback \(::1/],
  ['[0:0:0:0:0:0:0:1]', /loopback \(::1/],
  ['[fc00::1]', /unique local/],
  ['[fd12:3456::1]', /unique local/],
  ['[fe80::1]', /link-local/],
  ['[fec0::1]', /site-local/],
  ['[ff02::1]', /multicast/],
  ['[100::1]', /discard-only/],
  ['[2001:db8::1]', /documentation/],
  ['[3fff::1]', /documentation/],
  ['[5f00::1]', /segment routing/],
  ['[2001:2::1]', /IETF protocol assignments/],
  ['[2001:0:4136:e378:8000:63bf:3fff:fdd2]', /Teredo/],
  ['[4000::1]', /reserved by the IETF/],
  // IPv6 forms that carry an IPv4 address.
  ['[::ffff:127.0.0.1]', /IPv4-mapped .* carrying 127\.0\.0\.1/],
  ['[::ffff:7f00:1]', /IPv4-mapped .* carrying 127\.0\.0\.1/],
  ['[::ffff:169.254.169.254]', /IPv4-mapped .* carrying 169\.254\.169\.254/],
  ['[::ffff:8.8.8.8]', /IPv4-mapped/],
  ['[0:0:0:0:0:ffff:a00:1]', /IPv4-mapped .* carrying 10\.0\.0\.1/],
  ['[::ffff:0:7f00:1]', /IPv4-translated/],
  ['[::7f00:1]', /IPv4-compatible.* carrying 127\.0\.0\.1/],
  ['[::127.0.0.1]', /IPv4-compatible.* carrying 127\.0\.0\.1/],
  ['[::a00:1]', /IPv4-compatible.* carrying 10\.0\.0\.1/],
  ['[64:ff9b::7f00:1]', /NAT64 .* carrying loopback/],
  ['[64:ff9b::127.0.0.1]', /NAT64 .* carrying loopback/],
  ['[64:ff9b::a9fe:a9fe]', /NAT64 .* carrying link-local/],
  ['[64:ff9b::c0a8:101]', /NAT64 .* carrying private-use/],
  ['[64:ff9b:1::7f00:1]', /local-use IPv4\/IPv6 translation/],
  ['[64:ff9b:1:ffff::808:808]', /local-use IPv4\/IPv6 translation/],
  ['[2002:7f00:1::]', /6to4 .* carrying loopback/],
  ['[2002:a00:1::1]', /6to4 .* carrying private-use/],
  ['[2002:a9fe:a9fe::1]', /6to4 .* carrying link-local/],
  ['[2002:c0a8:101:1::1]', /6to4 .* carrying private-use/],
];

/** Globally reachable, in plain and in translated forms: what the classifier must let through. */
export const REACHABLE_LITERALS: readonly string[] = [
  '8.8.8.8',
  '93.184.216.34',
  '100.63.255.255',
  '100.128.0.0',
  '172.32.0.1',
  '192.0.1.1',
  '198.20.0.1',
  '[2606:4700:4700::1111]',
  '[2a00:1450:4001::200e]',
  '[2001:200::1]',
  '[64:ff9b::808:808]',
  '[64:ff9b::8.8.8.8]',
  '[2002:808:808::1]',
];

/**
 * Names and what a stub resolver answers for them: each resolves to something not publicly
 * reachable (alone, or alongside a public address), in every form of the table above.
 */
export const REFUSED_NAMES: Readonly<Record<string, readonly string[]>> = {
  'vm.corp.test': ['127.0.0.1'],
  'db.corp.test': ['10.20.30.40'],
  'metadata.corp.test': ['169.254.169.254'],
  'mixed.corp.test': ['93.184.216.34', '10.0.0.7'],
  'mapped.corp.test': ['::ffff:10.9.8.7'],
  'compatible.corp.test': ['::7f00:1'],
  'nat64.corp.test': ['64:ff9b::a0b:c0d'],
  'local-nat64.corp.test': ['64:ff9b:1::a0b:c0d'],
  'sixtofour.corp.test': ['2002:ac10:1::1'],
  'ula.corp.test': ['fd00:ab::12'],
  'site-local.corp.test': ['fec0::12'],
};

/** A resolver over REFUSED_NAMES (others do not resolve), as the URL policy's Resolver. */
export async function resolveRefusedName(hostname: string): Promise<{ address: string; family: number }[]> {
  const answers = REFUSED_NAMES[hostname];
  if (answers === undefined) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  }
  return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
}

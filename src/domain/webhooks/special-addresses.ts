import { isIP } from 'node:net';

/**
 * Whether an address is one a webhook may reach: globally reachable unicast, after the IANA IPv4
 * and IPv6 Special-Purpose Address Registries (RFC 6890 and later). The decision is made on the
 * address's bytes, never on how it was written, and an IPv6 form that carries an IPv4 address is
 * decided by what it carries where the registries call it reachable (NAT64 64:ff9b::/96, 6to4):
 * the packet ends at that IPv4 address. Every other IPv4-in-IPv6 form (mapped, compatible,
 * translated, local-use NAT64, Teredo) is not globally reachable and is refused outright.
 *
 * A few globally reachable anycast services inside the IETF protocol blocks (PCP and TURN anycast,
 * AS112, AMT, ORCHIDv2) are refused with their blocks: none is a webhook receiver.
 */
export type AddressVerdict = { reachable: true } | { reachable: false; range: string };

type Range = readonly [bytes: readonly number[], prefix: number, name: string];

const V4_SPECIAL: readonly Range[] = (
  [
    ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
    ['10.0.0.0', 8, 'private-use (10.0.0.0/8)'],
    ['100.64.0.0', 10, 'shared address space, carrier-grade NAT (100.64.0.0/10)'],
    ['127.0.0.0', 8, 'loopback (127.0.0.0/8)'],
    ['169.254.0.0', 16, 'link-local, where cloud metadata services live (169.254.0.0/16)'],
    ['172.16.0.0', 12, 'private-use (172.16.0.0/12)'],
    ['192.0.0.0', 24, 'IETF protocol assignments (192.0.0.0/24)'],
    ['192.0.2.0', 24, 'documentation (192.0.2.0/24)'],
    ['192.88.99.0', 24, 'deprecated 6to4 relay anycast (192.88.99.0/24)'],
    ['192.168.0.0', 16, 'private-use (192.168.0.0/16)'],
    ['198.18.0.0', 15, 'benchmarking (198.18.0.0/15)'],
    ['198.51.100.0', 24, 'documentation (198.51.100.0/24)'],
    ['203.0.113.0', 24, 'documentation (203.0.113.0/24)'],
    ['224.0.0.0', 4, 'multicast (224.0.0.0/4)'],
    ['240.0.0.0', 4, 'reserved (240.0.0.0/4)'],
  ] as const
).map(([network, prefix, name]) => [parseV4(network), prefix, name] as const);
// 255.255.255.255 (limited broadcast) lies in 240.0.0.0/4.

/** Ranges outside 2000::/3 named for the reason given; everything else there is IETF-reserved. */
const V6_OUTSIDE_GLOBAL_UNICAST: readonly Range[] = (
  [
    ['::', 128, 'unspecified (::/128)'],
    ['::1', 128, 'loopback (::1/128)'],
    ['::ffff:0:0', 96, 'IPv4-mapped (::ffff:0:0/96)'],
    ['::ffff:0:0:0', 96, 'IPv4-translated (::ffff:0:0:0/96)'],
    ['::', 96, 'IPv4-compatible, deprecated (::/96)'],
    ['64:ff9b:1::', 48, 'local-use IPv4/IPv6 translation (64:ff9b:1::/48)'],
    ['100::', 64, 'discard-only (100::/64)'],
    ['100:0:0:1::', 64, 'dummy prefix (100:0:0:1::/64)'],
    ['5f00::', 16, 'segment routing SIDs (5f00::/16)'],
    ['fc00::', 7, 'unique local (fc00::/7)'],
    ['fe80::', 10, 'link-local (fe80::/10)'],
    ['fec0::', 10, 'site-local, deprecated (fec0::/10)'],
    ['ff00::', 8, 'multicast (ff00::/8)'],
  ] as const
).map(([network, prefix, name]) => [parseV6(network), prefix, name] as const);

/** Special-purpose ranges inside 2000::/3 that are not globally reachable. */
const V6_GLOBAL_UNICAST_SPECIAL: readonly Range[] = (
  [
    ['2001::', 32, 'Teredo (2001::/32)'],
    ['2001:db8::', 32, 'documentation (2001:db8::/32)'],
    ['2001::', 23, 'IETF protocol assignments (2001::/23)'],
    ['3fff::', 20, 'documentation (3fff::/20)'],
  ] as const
).map(([network, prefix, name]) => [parseV6(network), prefix, name] as const);

const GLOBAL_UNICAST = parseV6('2000::');
const NAT64 = parseV6('64:ff9b::');
const SIX_TO_FOUR = parseV6('2002::');

/** The verdict on one IPv4 or IPv6 address (IPv6 without brackets; a zone index is ignored). */
export function classifyAddress(address: string): AddressVerdict {
  const family = isIP(address);
  if (family === 4) return classifyV4(parseV4(address));
  if (family === 6) return classifyV6(parseV6(address));
  return { reachable: false, range: 'not an IP address' };
}

function classifyV4(bytes: readonly number[]): AddressVerdict {
  const range = V4_SPECIAL.find(([network, prefix]) => inPrefix(bytes, network, prefix));
  return range === undefined ? { reachable: true } : { reachable: false, range: range[2] };
}

function classifyV6(bytes: readonly number[]): AddressVerdict {
  // The two translation prefixes whose packets leave for the IPv4 address they carry.
  if (inPrefix(bytes, NAT64, 96)) return embedded('NAT64 (64:ff9b::/96)', bytes.slice(12, 16));
  if (inPrefix(bytes, SIX_TO_FOUR, 16)) return embedded('6to4 (2002::/16)', bytes.slice(2, 6));
  if (!inPrefix(bytes, GLOBAL_UNICAST, 3)) {
    const range = V6_OUTSIDE_GLOBAL_UNICAST.find(([network, prefix]) => inPrefix(bytes, network, prefix));
    const name = range?.[2] ?? 'reserved by the IETF (outside 2000::/3)';
    // Name the IPv4 address a mapped or compatible form spells, for whoever reads the refusal.
    const carried = range !== undefined && range[1] === 96 ? ` carrying ${bytes.slice(12, 16).join('.')}` : '';
    return { reachable: false, range: `${name}${carried}` };
  }
  const range = V6_GLOBAL_UNICAST_SPECIAL.find(([network, prefix]) => inPrefix(bytes, network, prefix));
  return range === undefined ? { reachable: true } : { reachable: false, range: range[2] };
}

function embedded(form: string, v4: readonly number[]): AddressVerdict {
  const verdict = classifyV4(v4);
  return verdict.reachable ? verdict : { reachable: false, range: `${form} carrying ${verdict.range}` };
}

function inPrefix(bytes: readonly number[], network: readonly number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 8) {
    const take = Math.min(8, prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    const index = bit / 8;
    if (((bytes[index] as number) & mask) !== ((network[index] as number) & mask)) return false;
  }
  return true;
}

function parseV4(address: string): number[] {
  return address.split('.').map(Number);
}

/** 16 bytes of a valid IPv6 address (as `isIP` accepts it: `::`, a trailing dotted quad, a zone). */
function parseV6(address: string): number[] {
  let text = address.split('%')[0] as string;
  const groups: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = parseV4(dotted[1] as string) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const before = parse(head);
  const after = tail === undefined ? [] : parse(tail);
  groups.push(...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after);
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

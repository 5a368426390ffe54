import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may point (server-side request forgery defence). By default only https, no
 * credentials in the URL, and no address a customer should not reach through us: loopback,
 * private networks, link-local (which holds the cloud metadata service), carrier-grade NAT,
 * multicast, reserved and unspecified ranges, in IPv4 and IPv6 (IPv4-mapped included). Checked
 * on the URL when a webhook is saved, and on every address the name resolves to when it is
 * delivered, using the very address connected to (no second lookup to rebind).
 */
export interface UrlPolicy {
  /** Also accept plain http (development). */
  allowHttp: boolean;
  /** Host names or addresses exempt from the address checks (a local receiver in tests). */
  allowedHosts: ReadonlySet<string>;
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

// IPv4-mapped IPv6 (::ffff:a.b.c.d, which URL parsing writes as ::ffff:7f00:1): never a webhook's.
// Its own list, because a BlockList matches plain IPv4 addresses against a mapped range too.
const MAPPED = new BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

const FORBIDDEN_NAMES = /(^|\.)(localhost|internal|local)$|^metadata\.google\.internal$/i;

export class ForbiddenDestinationError extends Error {
  override name = 'ForbiddenDestinationError';
}

/** Why `address` may not be delivered to, or undefined when it may. */
export function forbiddenAddress(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  if (family === 6 && MAPPED.check(address, 'ipv6')) return `${address} is an IPv4-mapped address`;
  if (FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6')) {
    return `${address} is a loopback, private, link-local or reserved address`;
  }
  return undefined;
}

/** Why a webhook URL is not acceptable as written, or undefined when it is. */
export function urlProblem(text: string, policy: UrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return policy.allowHttp ? 'must use https or http' : 'must use https';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  const host = hostOf(url);
  if (policy.allowedHosts.has(host)) return undefined;
  if (isIP(host) !== 0) return forbiddenAddress(host);
  if (FORBIDDEN_NAMES.test(host)) return `${host} is a local or internal host name`;
  return undefined;
}

/**
 * The addresses to connect to for `host`, all of them checked; throws ForbiddenDestinationError
 * if any is forbidden (a name that resolves to both a public and a private address is refused).
 */
export async function vettedAddresses(
  host: string,
  policy: UrlPolicy,
  resolve: Resolver,
): Promise<{ address: string; family: number }[]> {
  const literal = isIP(host);
  const addresses = literal !== 0 ? [{ address: host, family: literal }] : await resolve(host);
  if (policy.allowedHosts.has(host)) return addresses;
  if (addresses.length === 0) throw new ForbiddenDestinationError(`${host} does not resolve`);
  for (const { address } of addresses) {
    const problem = forbiddenAddress(address);
    if (problem !== undefined) throw new ForbiddenDestinationError(`${host} resolves to ${problem}`);
  }
  return addresses;
}

/** The URL's host without IPv6 brackets, lowercased. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

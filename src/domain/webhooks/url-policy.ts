import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from './special-addresses.js';

/**
 * Where webhooks may point (server-side request forgery defence). By default only https, no
 * credentials in the URL, and no address that is not globally reachable (special-addresses.ts:
 * loopback, private networks, link-local with the cloud metadata service, carrier-grade NAT,
 * every IPv6 form that carries one of those, and the rest of IANA's special ranges). Checked
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

const FORBIDDEN_NAMES = /(^|\.)(localhost|internal|local)$|^metadata\.google\.internal$/i;

export class ForbiddenDestinationError extends Error {
  override name = 'ForbiddenDestinationError';
}

/** Why `address` may not be delivered to, or undefined when it may (special-addresses.ts decides). */
export function forbiddenAddress(address: string): string | undefined {
  const verdict = classifyAddress(address);
  return verdict.reachable ? undefined : `${address} is not publicly reachable: ${verdict.range}`;
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
  if (FORBIDDEN_NAMES.test(host.replace(/\.$/, ''))) return `${host} is a local or internal host name`;
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
  // The message names no address: it reaches the customer (a 422, the delivery log), and what a
  // name resolves to inside our network is not theirs to learn.
  if (addresses.some(({ address }) => forbiddenAddress(address) !== undefined)) {
    throw new ForbiddenDestinationError(`${host} resolves to an address that is not publicly reachable`);
  }
  return addresses;
}

/** The URL's host without IPv6 brackets, lowercased. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

import { ApiError } from '../errors.js';
import type { Store } from '../store/database.js';
import { MemoryLimiter } from './memory-limiter.js';
import { SharedLimiter } from './shared-limiter.js';
import {
  policyHeader,
  rateLimitHeaders,
  remainingHeader,
  type Decision,
  type RateLimiter,
  type RatePolicy,
} from './policy.js';

/** Which buckets apply; an absent policy is no limit. */
export interface RateLimitPolicies {
  /** Per API key, on the public API. */
  apiKey?: RatePolicy;
  /** Per runtime token, on the internal API. */
  runtimeToken?: RatePolicy;
  /** Per client address, for requests without a valid credential. Always in memory. */
  unauthenticated?: RatePolicy;
}

export interface Headers {
  header(name: string, value: string): unknown;
}

/**
 * The rate limits the auth hooks apply. Credentialed requests are charged to their key's or
 * token's bucket (shared across processes on PostgreSQL). A request whose credential is not
 * already known valid is first charged to its address's bucket in memory, before any store
 * lookup, and refunded if the credential turns out valid: a flood of bad or missing keys is
 * stopped without touching the database, and good keys never spend their address's budget.
 */
export class RateLimits {
  private readonly addresses = new MemoryLimiter();

  constructor(
    private readonly policies: RateLimitPolicies,
    private readonly limiter: RateLimiter,
  ) {}

  /** In memory on the embedded store (one process); shared through the database on PostgreSQL. */
  static forStore(policies: RateLimitPolicies, store: Pick<Store, 'db' | 'dialect'>): RateLimits {
    return new RateLimits(policies, store.dialect === 'postgres' ? new SharedLimiter(store.db) : new MemoryLimiter());
  }

  static none(): RateLimits {
    return new RateLimits({}, new MemoryLimiter());
  }

  /** Charges an uncredentialed attempt to `address`; the returned function refunds it. */
  chargeAddress(address: string, reply: Headers): () => void {
    const policy = this.policies.unauthenticated;
    if (policy === undefined) return () => {};
    const bucket = `ip:${address}`;
    enforce(policy, this.addresses.take(bucket, policy), reply);
    return () => this.addresses.refund(bucket, policy);
  }

  async chargeApiKey(keyId: string, reply: Headers): Promise<void> {
    const policy = this.policies.apiKey;
    if (policy !== undefined) enforce(policy, await this.limiter.take(`key:${keyId}`, policy), reply);
  }

  async chargeRuntimeToken(tokenId: string, reply: Headers): Promise<void> {
    const policy = this.policies.runtimeToken;
    if (policy !== undefined) enforce(policy, await this.limiter.take(`runtime:${tokenId}`, policy), reply);
  }
}

function enforce(policy: RatePolicy, decision: Decision, reply: Headers): void {
  if (decision.allowed) {
    // The hot path, every allowed request: two headers set directly, no object built.
    reply.header('ratelimit-policy', policyHeader(policy));
    reply.header('ratelimit', remainingHeader(policy, decision));
    return;
  }
  const headers = rateLimitHeaders(policy, decision);
  const seconds = decision.retryAfterSeconds;
  throw new ApiError(
    429,
    'RATE_LIMITED',
    `Too many requests; retry after ${seconds} second${seconds === 1 ? '' : 's'}`,
    headers,
  );
}

import type { Store } from '../../store/database.js';
import { rateLimitErrors } from './errors.js';
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
 * token's bucket (shared across processes on PostgreSQL). Failed credentials are charged to
 * their address's bucket in memory, and a request whose credential is not already known valid
 * is refused before any store lookup once that budget is spent: a flood of bad or missing keys
 * is stopped without touching the database, and good credentials never spend it (not even for
 * a moment, so a busy runtime with many requests in flight is never refused for its address).
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

  /** 429 when `address` has spent its budget of failed credentials; takes nothing. */
  guardAddress(address: string, reply: Headers): void {
    const policy = this.policies.unauthenticated;
    if (policy !== undefined) enforce(policy, this.addresses.peek(`ip:${address}`, policy), reply);
  }

  /** A failed credential from `address` spends one token of its budget. */
  chargeFailedAttempt(address: string): void {
    const policy = this.policies.unauthenticated;
    if (policy !== undefined) this.addresses.take(`ip:${address}`, policy);
  }

  async chargeApiKey(keyId: string, reply: Headers): Promise<void> {
    const policy = this.policies.apiKey;
    if (policy !== undefined) enforce(policy, await this.limiter.take(`key:${keyId}`, policy), reply);
  }

  /**
   * chargeApiKey, decided without waiting, for a request answered outside Fastify: the headers to
   * send when the request is allowed (none without a limit); undefined, having taken nothing,
   * when it is refused or only the database can decide, so the request goes the usual way.
   */
  chargeApiKeyNow(keyId: string): [string, string][] | undefined {
    const policy = this.policies.apiKey;
    if (policy === undefined) return [];
    // A refused take takes nothing, so the usual way then refuses it the same.
    const decision = this.limiter.takeNow(`key:${keyId}`, policy);
    if (decision === undefined || !decision.allowed) return undefined;
    return [
      ['ratelimit-policy', policyHeader(policy)],
      ['ratelimit', remainingHeader(policy, decision)],
    ];
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
  throw rateLimitErrors.limited(decision.retryAfterSeconds, rateLimitHeaders(policy, decision));
}

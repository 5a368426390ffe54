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
  /** Per project, on the public API: every key of the project spends it too. */
  project?: RatePolicy;
  /** Per runtime token, on the internal API. */
  runtimeToken?: RatePolicy;
  /** Per client address, for requests without a valid credential. Always in memory. */
  unauthenticated?: RatePolicy;
}

export interface Headers {
  header(name: string, value: string): unknown;
}

/**
 * The rate limits the auth hooks apply. Credentialed requests are charged to their key's (and
 * its project's) or token's bucket (shared across processes on PostgreSQL). Failed credentials
 * are charged to their address's bucket in memory, and a request whose credential is not
 * already known valid is refused before any store lookup once that budget is spent: a flood of
 * bad or missing keys is stopped without touching the database, and good credentials never
 * spend it (not even for a moment, so a busy runtime with many requests in flight is never
 * refused for its address).
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

  /**
   * A request with an API key spends a token of the key's bucket and one of its project's: a
   * project may create as many keys as it likes, so the key's bucket alone would not bound what
   * one tenant takes of the service. A request the project's bucket refuses gives the key's token
   * back (its key did not spend it). The headers name whichever bucket has fewer requests left.
   */
  async chargeApiKey(keyId: string, projectId: string, reply: Headers): Promise<void> {
    const { apiKey, project } = this.policies;
    const key = apiKey === undefined ? undefined : await this.limiter.take(`key:${keyId}`, apiKey);
    if (apiKey !== undefined && key !== undefined && !key.allowed) refuse(apiKey, key);
    const shared = project === undefined ? undefined : await this.limiter.take(`project:${projectId}`, project);
    if (project !== undefined && shared !== undefined && !shared.allowed) {
      if (apiKey !== undefined) this.limiter.giveBack(`key:${keyId}`, apiKey);
      refuse(project, shared);
    }
    const [policy, decision] = tighter(apiKey, key, project, shared);
    if (policy === undefined || decision === undefined) return;
    // The hot path, every allowed request: two headers set directly, no object built.
    reply.header('ratelimit-policy', policyHeader(policy));
    reply.header('ratelimit', remainingHeader(policy, decision));
  }

  /**
   * chargeApiKey, decided without waiting, for a request answered outside Fastify: the headers to
   * send when the request is allowed (none without a limit); undefined, having taken nothing,
   * when it is refused or only the database can decide, so the request goes the usual way.
   */
  chargeApiKeyNow(keyId: string, projectId: string): [string, string][] | undefined {
    const { apiKey, project } = this.policies;
    // A refused take takes nothing, so the usual way then refuses it the same.
    const key = apiKey === undefined ? undefined : this.limiter.takeNow(`key:${keyId}`, apiKey);
    if (apiKey !== undefined && (key === undefined || !key.allowed)) return undefined;
    const shared = project === undefined ? undefined : this.limiter.takeNow(`project:${projectId}`, project);
    if (project !== undefined && (shared === undefined || !shared.allowed)) {
      if (apiKey !== undefined) this.limiter.giveBack(`key:${keyId}`, apiKey);
      return undefined;
    }
    const [policy, decision] = tighter(apiKey, key, project, shared);
    if (policy === undefined || decision === undefined) return [];
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
  if (!decision.allowed) refuse(policy, decision);
  reply.header('ratelimit-policy', policyHeader(policy));
  reply.header('ratelimit', remainingHeader(policy, decision));
}

function refuse(policy: RatePolicy, decision: Decision): never {
  throw rateLimitErrors.limited(decision.retryAfterSeconds, rateLimitHeaders(policy, decision));
}

/** Of two allowed decisions (either absent), the one with fewer requests left; the key's on a tie. */
function tighter(
  keyPolicy: RatePolicy | undefined,
  key: Decision | undefined,
  projectPolicy: RatePolicy | undefined,
  project: Decision | undefined,
): [RatePolicy | undefined, Decision | undefined] {
  if (key === undefined || (project !== undefined && project.remaining < key.remaining)) {
    return [projectPolicy, project];
  }
  return [keyPolicy, key];
}

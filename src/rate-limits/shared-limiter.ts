import type { Db } from '../store/database.js';
import { takeTokens } from '../store/rate-limits-repo.js';
import { decide, type Decision, type RateLimiter, type RatePolicy } from './policy.js';

interface Lease {
  tokens: number;
  /** Tokens left in the shared bucket when the lease was taken. */
  sharedTokens: number;
  expiresAt: number;
}

/**
 * Token buckets shared by every process through PostgreSQL. A request does not cost a round
 * trip: each process leases a small share of a bucket (a twentieth of the burst) and spends it
 * locally, going back to the database when the lease runs out or after `leaseMs`. The whole
 * deployment therefore allows at most the policy's rate, plus what unexpired leases hold; a
 * lease that expires unspent is lost, so an idle process errs towards allowing less, never more.
 */
export class SharedLimiter implements RateLimiter {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly db: Db,
    private readonly leaseMs = 1000,
    private readonly maxLeases = 100_000,
  ) {}

  async take(bucket: string, policy: RatePolicy): Promise<Decision> {
    const leased = this.takeNow(bucket, policy);
    if (leased !== undefined) return leased;
    const now = performance.now();
    const want = Math.max(1, Math.floor(policy.burst / 20));
    const { granted, tokens } = await takeTokens(this.db, bucket, want, policy.burst, policy.perSecond);
    if (granted === 0) return decide(policy, tokens, false);
    if (this.leases.size >= this.maxLeases) this.leases.delete(this.leases.keys().next().value as string);
    this.leases.set(bucket, { tokens: granted - 1, sharedTokens: tokens, expiresAt: now + this.leaseMs });
    return decide(policy, tokens + granted - 1, true);
  }

  /** A token of this process's live lease on the bucket; undefined when only the database can say. */
  takeNow(bucket: string, policy: RatePolicy): Decision | undefined {
    const lease = this.leases.get(bucket);
    if (lease === undefined || lease.expiresAt <= performance.now() || lease.tokens < 1) return undefined;
    lease.tokens -= 1;
    return decide(policy, lease.sharedTokens + lease.tokens, true);
  }
}

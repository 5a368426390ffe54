import { decide, type Decision, type RateLimiter, type RatePolicy } from './policy.js';

interface Bucket {
  tokens: number;
  refreshedAt: number;
}

/**
 * Token buckets in this process's memory: exact for one process (the embedded SQLite store).
 * Bounded: past `maxBuckets`, the oldest are dropped (a dropped bucket comes back full, which
 * only a client rotating through that many keys or addresses could exploit, and they are
 * each limited anyway).
 */
export class MemoryLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly maxBuckets = 100_000,
  ) {}

  take(key: string, policy: RatePolicy): Decision {
    const bucket = this.refreshed(key, policy);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    return decide(policy, bucket.tokens, allowed);
  }

  takeNow(key: string, policy: RatePolicy): Decision {
    return this.take(key, policy);
  }

  giveBack(key: string, policy: RatePolicy): void {
    const bucket = this.buckets.get(key);
    if (bucket !== undefined) bucket.tokens = Math.min(policy.burst, bucket.tokens + 1);
  }

  /** Whether a token is there, without taking it. */
  peek(key: string, policy: RatePolicy): Decision {
    const bucket = this.refreshed(key, policy);
    return decide(policy, bucket.tokens, bucket.tokens >= 1);
  }

  private refreshed(key: string, policy: RatePolicy): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value as string);
      bucket = { tokens: policy.burst, refreshedAt: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(policy.burst, bucket.tokens + ((now - bucket.refreshedAt) / 1000) * policy.perSecond);
      bucket.refreshedAt = now;
    }
    return bucket;
  }
}

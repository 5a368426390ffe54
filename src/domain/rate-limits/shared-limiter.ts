import type { Db } from '../../store/database.js';
import { takeTokens } from '../../store/rate-limits-repo.js';
import { decide, type Decision, type RateLimiter, type RatePolicy } from './policy.js';

interface Lease {
  tokens: number;
  /** Tokens left in the shared bucket when the lease was taken. */
  sharedTokens: number;
  expiresAt: number;
  /** A top-up of this lease has been asked for. */
  toppingUp: boolean;
}

/** A lease's size: a twentieth of the burst. */
const leaseSize = (policy: RatePolicy) => Math.max(1, Math.floor(policy.burst / 20));

/**
 * Token buckets shared by every process through PostgreSQL. A request does not cost a round
 * trip: each process leases a small share of a bucket (a twentieth of the burst) and spends it
 * locally, going back to the database when the lease runs out or after `leaseMs`. The whole
 * deployment therefore allows at most the policy's rate, plus what unexpired leases hold; a
 * lease that expires unspent is lost, so an idle process errs towards allowing less, never more.
 *
 * A lease in use is topped up before it runs out: once it is down to a quarter of its tokens or
 * of its time, one request asks the database, in the background, for what it lacks, and the
 * answer renews it (never above a lease's size). Without that, every lease ended with all the
 * requests in flight going to the database at once, dozens per key per second under load.
 */
export class SharedLimiter implements RateLimiter {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly db: Db,
    private readonly leaseMs = 1000,
    private readonly maxLeases = 100_000,
    /** Milliseconds, for leases' lives. */
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async take(bucket: string, policy: RatePolicy): Promise<Decision> {
    const leased = this.takeNow(bucket, policy);
    if (leased !== undefined) return leased;
    const now = this.clock();
    const { granted, tokens } = await takeTokens(this.db, bucket, leaseSize(policy), policy.burst, policy.perSecond);
    if (granted === 0) return decide(policy, tokens, false);
    this.lease(bucket, { tokens: granted - 1, sharedTokens: tokens, expiresAt: now + this.leaseMs, toppingUp: false });
    return decide(policy, tokens + granted - 1, true);
  }

  /** A token of this process's live lease on the bucket; undefined when only the database can say. */
  takeNow(bucket: string, policy: RatePolicy): Decision | undefined {
    const lease = this.leases.get(bucket);
    const now = this.clock();
    if (lease === undefined || lease.expiresAt <= now || lease.tokens < 1) return undefined;
    lease.tokens -= 1;
    const size = leaseSize(policy);
    if (!lease.toppingUp && (lease.tokens < size / 4 || lease.expiresAt - now < this.leaseMs / 4)) {
      this.topUp(bucket, policy, lease, size, now);
    }
    return decide(policy, lease.sharedTokens + lease.tokens, true);
  }

  /** Back into this process's lease, when it is still the live one; otherwise lost. */
  giveBack(bucket: string, _policy: RatePolicy): void {
    const lease = this.leases.get(bucket);
    if (lease !== undefined && lease.expiresAt > this.clock()) lease.tokens += 1;
  }

  private topUp(bucket: string, policy: RatePolicy, lease: Lease, size: number, now: number): void {
    lease.toppingUp = true;
    // If the database fails, the lease simply runs out, and the next request asks it itself.
    takeTokens(this.db, bucket, size - lease.tokens, policy.burst, policy.perSecond).then(
      ({ granted, tokens }) => {
        // A lease that ran out meanwhile was replaced or is dead: the grant is lost (allowing less).
        // With nothing granted (the bucket is dry), the lease is left to run out as it would have.
        if (granted === 0 || this.leases.get(bucket) !== lease || lease.expiresAt <= this.clock()) return;
        const left = lease.tokens + granted;
        this.lease(bucket, { tokens: left, sharedTokens: tokens, expiresAt: now + this.leaseMs, toppingUp: false });
      },
      () => undefined,
    );
  }

  private lease(bucket: string, lease: Lease): void {
    if (!this.leases.has(bucket) && this.leases.size >= this.maxLeases) {
      this.leases.delete(this.leases.keys().next().value as string);
    }
    this.leases.set(bucket, lease);
  }
}

/**
 * A token bucket: `burst` requests at once, refilled at `perSecond`. Named in the RateLimit
 * headers (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy: "<name>";q=<burst>;w=<s>`,
 * where w is how long an empty bucket takes to fill again.
 */
export interface RatePolicy {
  name: string;
  burst: number;
  perSecond: number;
}

/** What a bucket said to one request. */
export interface Decision {
  allowed: boolean;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** Seconds until one more request would be allowed (0 when allowed now). */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

export interface RateLimiter {
  take(bucket: string, policy: RatePolicy): Decision | Promise<Decision>;
  /** take, decided without waiting for the store; undefined, having taken nothing, when it cannot be. */
  takeNow(bucket: string, policy: RatePolicy): Decision | undefined;
  /**
   * Returns a token an allowed take took, for a request another bucket then refused: what this
   * process still holds of the bucket gets it back; one it no longer holds is lost (allowing less).
   */
  giveBack(bucket: string, policy: RatePolicy): void;
}

/** The decision for a bucket holding `tokens` (fractional) after a request took `granted`. */
export function decide(policy: RatePolicy, tokens: number, allowed: boolean): Decision {
  const missingForOne = Math.max(0, 1 - tokens);
  return {
    allowed,
    remaining: Math.max(0, Math.floor(tokens)),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(missingForOne / policy.perSecond)),
    resetSeconds: Math.ceil(Math.max(0, policy.burst - tokens) / policy.perSecond),
  };
}

const policyHeaders = new WeakMap<RatePolicy, string>();

/** `RateLimit-Policy`: it never changes for a policy, so it is built once (it is on every request). */
export function policyHeader(policy: RatePolicy): string {
  let header = policyHeaders.get(policy);
  if (header === undefined) {
    header = `"${policy.name}";q=${policy.burst};w=${Math.ceil(policy.burst / policy.perSecond)}`;
    policyHeaders.set(policy, header);
  }
  return header;
}

/** `RateLimit`: what is left, and when the bucket is full again. */
export function remainingHeader(policy: RatePolicy, decision: Decision): string {
  return `"${policy.name}";r=${decision.remaining};t=${decision.resetSeconds}`;
}

export function rateLimitHeaders(policy: RatePolicy, decision: Decision): Record<string, string> {
  const headers: Record<string, string> = {
    'ratelimit-policy': policyHeader(policy),
    ratelimit: remainingHeader(policy, decision),
  };
  if (!decision.allowed) headers['retry-after'] = String(decision.retryAfterSeconds);
  return headers;
}

import { ApiError } from '../../kernel/errors.js';

/** Every error the rate limits answer with. */
export const rateLimitErrors = {
  /** `headers`: the RateLimit and Retry-After headers that tell the client when to come back. */
  limited: (retryAfterSeconds: number, headers: Record<string, string>) =>
    new ApiError(
      429,
      'RATE_LIMITED',
      `Too many requests; retry after ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
      headers,
    ),
} as const;

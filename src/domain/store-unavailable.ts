import { ApiError, errors } from '../kernel/errors.js';
import { classifyStoreError, unavailableCause, type UnavailableCause } from '../store/failures.js';

const MESSAGES: Record<UnavailableCause, string> = {
  'disk-full': 'The store is out of disk space; writes are refused until space is freed',
  'read-only': 'The store is read-only; writes are refused until it is writable again',
  'timed-out': 'The store took too long to answer; retry shortly',
  other: 'The service is temporarily unavailable; retry shortly',
};

/**
 * What a store failure means for the caller: SERVICE_UNAVAILABLE (a 503 with Retry-After) when
 * the store is down, full or read-only, timed out, or kept losing a conflict, so the client may
 * retry; undefined for any other error, which is a fault of this service.
 */
export function unavailableStoreError(error: unknown): ApiError | undefined {
  if (classifyStoreError(error) === undefined) return undefined;
  return errors.serviceUnavailable(MESSAGES[unavailableCause(error)]);
}

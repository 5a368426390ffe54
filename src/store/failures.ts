/**
 * How a store error should be handled, by what the driver says. `retry`: the transaction was
 * rolled back by a conflict with another one (serialization failure, deadlock, a unique key
 * taken by a concurrent insert) and running it again is safe. `unavailable`: the store cannot be
 * reached or cannot write right now; the client gets a 503 and may retry.
 */
export type StoreFailure = 'retry' | 'unavailable';

const CONFLICT_CODES = new Set(['40001', '40P01', '23505']);
// Connection exceptions (class 08), shutdowns, too many connections, statement timeout.
const UNAVAILABLE_CODES = /^(08...|57P0[1-3]|53300|57014)$/;
const NODE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const POOL_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed/i;
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN)/;

export function classifyStoreError(error: unknown): StoreFailure | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (CONFLICT_CODES.has(code)) return 'retry';
    if (UNAVAILABLE_CODES.test(code) || NODE_NETWORK_CODES.has(code) || SQLITE_UNAVAILABLE.test(code))
      return 'unavailable';
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && POOL_MESSAGES.test(message)) return 'unavailable';
  return undefined;
}

/**
 * Runs a transaction, again when it lost a conflict with a concurrent one or its connection
 * dropped (every write here is idempotent, so a second run of a batch that did commit only
 * reports duplicates). Bounded: after `attempts` the last error propagates.
 */
export async function withRetries<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      const failure = classifyStoreError(error);
      const retryable = failure === 'retry' || (failure === 'unavailable' && attempt < 3);
      if (!retryable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, attempt * 10 + Math.random() * 40));
    }
  }
}

/** Why the store cannot serve a request, as far as the driver's error says. */
export type UnavailableCause = 'disk-full' | 'read-only' | 'timed-out' | 'other';

export function unavailableCause(error: unknown): UnavailableCause {
  const code = String((error as { code?: unknown }).code ?? '');
  if (code.startsWith('SQLITE_FULL')) return 'disk-full';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code === '57014') return 'timed-out';
  return 'other';
}

import { setTimeout as sleep } from 'node:timers/promises';

interface PollOptions {
  timeoutMs?: number;
  everyMs?: number;
}

/**
 * Waits for something that happens on its own (a webhook arriving, a background pass, a worker
 * recording its answer): reads `read()` until `done` holds for it (by default: until it is
 * truthy), and returns that value. Fails after `timeoutMs`, naming `what` and the last value read.
 */
export async function pollUntil<T, U extends T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => value is U,
  options?: PollOptions,
): Promise<U>;
export async function pollUntil<T>(
  what: string,
  read: () => T | Promise<T>,
  done?: (value: T) => boolean,
  options?: PollOptions,
): Promise<T>;
export async function pollUntil<T>(
  what: string,
  read: () => T | Promise<T>,
  done: (value: T) => boolean = Boolean,
  { timeoutMs = 20_000, everyMs = 20 }: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      const last = JSON.stringify(value) ?? String(value);
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}; last read: ${last.slice(0, 500)}`);
    }
    await sleep(everyMs);
  }
}

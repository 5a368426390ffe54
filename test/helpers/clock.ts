import type { Micros } from '../../src/kernel/time.js';

/**
 * The app's clock in tests (AppDeps.clock): real time, plus whatever a test skipped. A test that
 * needs a cache entry to go stale, a key to expire or a lease to run out moves it forward
 * instead of sleeping; everything else sees time pass as it does.
 */
export class TestClock {
  private skippedMs = 0;

  /** What time it is for the app, in microseconds (bound: hand it to the app as is). */
  readonly now = (): Micros => (Date.now() + this.skippedMs) * 1000;

  /** The same, in milliseconds, as Date.now() reads. */
  nowMs(): number {
    return Date.now() + this.skippedMs;
  }

  advance(ms: number): void {
    this.skippedMs += ms;
  }
}

import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Reads each file once from start to end, so that its pages are in the OS page cache when a
 * measurement starts. The lookup limit's table is written just before the measurement and is
 * all cached; diga-api's store was written during the seeding, minutes earlier, and this kind of
 * machine lets go of a file's cached pages even with memory free (a quarter of a 1,000,000-call
 * store was out of the cache after seeding): without this, our server alone started on disk
 * reads. It does not keep them there: docs/BENCHMARKS.md, sixth session.
 */
export function warmPageCache(paths: readonly string[]): void {
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  for (const path of paths) {
    const fd = openSync(path, 'r');
    try {
      while (readSync(fd, buffer, 0, buffer.length, null) > 0);
    } finally {
      closeSync(fd);
    }
  }
}

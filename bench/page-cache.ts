import { closeSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Reads each file once from start to end, so that its pages are in the OS page cache when a
 * measurement starts: for the lookup limit's table, which is all its GET reads.
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

/**
 * Reads, through SQLite, every page of diga-api's store that a GET by id can read: the stored
 * views, their id index, and the recordings it joins. The rest of the store (events, messages,
 * the listing's indexes) is never read by that GET. Reading the whole 8 GB file instead could
 * not keep it cached on these machines, whose kernel
 * pages out file pages no process maps once they look cold, even with memory free (a DAMON
 * scheme, which the report names: page-out.ts; docs/BENCHMARKS.md, "The kernel's page-out").
 */
export function warmGetTables(dbPath: string): void {
  const db = new Database(dbPath, { readonly: true });
  try {
    db.prepare('SELECT sum(length(view)) FROM call_views').get();
    // count(*) walks the smallest index that covers it: the views' id index.
    db.prepare('SELECT count(*) FROM call_views').get();
    db.prepare('SELECT count(*) FROM recordings').get();
  } finally {
    db.close();
  }
}

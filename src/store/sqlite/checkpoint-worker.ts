import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/**
 * The thread behind sqlite-checkpointer.ts: its own connection to the store's file, copying
 * committed WAL pages back into the database every `intervalMs`. PASSIVE never waits for the
 * writer or the readers; what it cannot copy yet it copies next time.
 */
const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const sqlite = new SQLite(path, { fileMustExist: true });
// FULL: the checkpoint syncs the database file before the WAL may be reused.
sqlite.pragma('synchronous = FULL');
const checkpoint = sqlite.prepare('PRAGMA wal_checkpoint(PASSIVE)');

let lastError: string | undefined;
const timer = setInterval(() => {
  try {
    checkpoint.get();
    lastError = undefined;
  } catch (error) {
    // SQLITE_BUSY (another checkpoint running) or an I/O error such as a full disk: the writer's
    // own automatic checkpoint remains as the backstop, so report it (once, not on every tick)
    // and go on.
    if (String(error) !== lastError) parentPort?.postMessage({ error: String(error) });
    lastError = String(error);
  }
}, intervalMs);

parentPort?.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  sqlite.close();
  parentPort?.close();
});

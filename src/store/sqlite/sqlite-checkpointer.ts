import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/** How often the checkpoint thread copies the WAL back. */
export const CHECKPOINT_INTERVAL_MS = 250;

/**
 * Checkpoints a SQLite file store from a thread of its own (checkpoint-worker.ts). Without it,
 * the COMMIT that crosses `wal_autocheckpoint` copies the whole WAL back into the database and
 * syncs it before it returns: the batch that happens to trigger it waits for everyone's pages.
 * The writer still checkpoints at that mark (see sqlite-store.ts), but finds almost every page
 * already copied.
 */
export class SqliteCheckpointer {
  private constructor(private readonly worker: Worker) {}

  static start(path: string, intervalMs = CHECKPOINT_INTERVAL_MS, onError?: (message: string) => void) {
    const worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData: { path, intervalMs } });
    worker.on('message', (message: { error?: string }) => {
      if (message.error !== undefined) onError?.(message.error);
    });
    worker.on('error', (error) => onError?.(String(error)));
    // A store left open must not keep the process alive on this thread's account.
    worker.unref();
    return new SqliteCheckpointer(worker);
  }

  async stop(): Promise<void> {
    if (this.worker.threadId === -1) return; // already exited
    const exited = once(this.worker, 'exit');
    this.worker.ref(); // waiting for it is a reason to stay alive
    this.worker.postMessage('stop');
    await exited;
  }
}

import type { Db } from '../../store/database.js';
import { countActiveCalls } from './active-calls.js';

/** What a subscriber is told each interval: the count, or undefined when the store could not say. */
export type ConcurrencyListener = (activeCalls: number | undefined) => void;

interface ProjectFeed {
  listeners: Set<ConcurrencyListener>;
  timer: NodeJS.Timeout;
  /** The last count read, for a subscriber that joins between two reads. */
  last: number | undefined;
  polling: boolean;
}

/**
 * The live call count of each project with open concurrency streams, read from the store once per
 * interval and handed to every stream of that project: a project's streams cost one count query
 * per interval, however many there are. A project's feed starts with its first subscriber (read at
 * once) and stops with its last.
 */
export class ConcurrencyFeed {
  private readonly projects = new Map<string, ProjectFeed>();

  constructor(
    private readonly count: (projectId: string) => Promise<number>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  static overStore(db: Db, intervalMs: number, onError: (error: unknown) => void): ConcurrencyFeed {
    return new ConcurrencyFeed((projectId) => countActiveCalls(db, projectId), intervalMs, onError);
  }

  /** Calls `listener` with the project's count at once and then every interval; returns the unsubscribe. */
  subscribe(projectId: string, listener: ConcurrencyListener): () => void {
    let feed = this.projects.get(projectId);
    if (feed === undefined) {
      const created: ProjectFeed = {
        listeners: new Set([listener]),
        timer: setInterval(() => void this.poll(projectId, created), this.intervalMs),
        last: undefined,
        polling: false,
      };
      feed = created;
      this.projects.set(projectId, feed);
      void this.poll(projectId, feed);
    } else {
      const existing = feed;
      existing.listeners.add(listener);
      // A read in flight tells the newcomer too; otherwise it gets what the others last got.
      const last = existing.last;
      if (!existing.polling && last !== undefined) {
        queueMicrotask(() => existing.listeners.has(listener) && this.tell(listener, last));
      }
    }
    const joined = feed;
    return () => {
      joined.listeners.delete(listener);
      if (joined.listeners.size === 0 && this.projects.get(projectId) === joined) {
        clearInterval(joined.timer);
        this.projects.delete(projectId);
      }
    };
  }

  /** Projects being polled (for tests and diagnostics). */
  get size(): number {
    return this.projects.size;
  }

  private async poll(projectId: string, feed: ProjectFeed): Promise<void> {
    // A read slower than the interval is not stacked on: the next tick finds it still running.
    if (feed.polling) return;
    feed.polling = true;
    let count: number | undefined;
    try {
      count = await this.count(projectId);
    } catch (error) {
      this.onError(error);
    } finally {
      feed.polling = false;
    }
    feed.last = count;
    for (const listener of feed.listeners) this.tell(listener, count);
  }

  /** One stream's failure is its own: the others of the project are still told. */
  private tell(listener: ConcurrencyListener, count: number | undefined): void {
    try {
      listener(count);
    } catch (error) {
      this.onError(error);
    }
  }
}

import type { Principal } from './principal.js';
import type { Micros } from '../../kernel/time.js';

interface Entry {
  principal: Principal;
  /** The key's own expiry, checked on every use. */
  keyExpiresAt: Micros | null;
  /** When this entry must be looked up again, in ms since the epoch. */
  staleAt: number;
  /** The store's generation when the entry was made. */
  generation: number;
  /** A lookup renewing this entry has been started (claimRenewal). */
  renewing: boolean;
}

export interface Snapshot {
  clears: number;
  generation: number;
}

/**
 * Recently verified API keys, by digest, so that a request does not need a store lookup to
 * authenticate (docs/BENCHMARKS.md, "The credential cache"). Bounded in size and in age:
 * an entry is trusted for `ttlMs` at most. Revocations in this process clear the cache at once.
 * On SQLite, `generation` (the file's data_version) moves whenever another process commits, so
 * a key revoked by the CLI stops working within `generationCheckMs` (asking SQLite on every
 * request would cost every GET a call into SQLite); on PostgreSQL a key revoked by another instance keeps working
 * for at most `ttlMs`. Only valid keys are cached, so unknown keys cannot crowd out real ones.
 *
 * A key in steady use is renewed before it goes stale: the first use in the last quarter of an
 * entry's life claims one lookup in the background (claimRenewal), whose answer replaces the
 * entry. Without that, every `ttlMs` the requests in flight all missed at once and each went to
 * the store, dozens per key per second under load (docs/BENCHMARKS.md). An entry is still never
 * trusted beyond `ttlMs` after the lookup that made it began.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private knownGeneration = 0;
  private generationCheckedAt = -Infinity;
  /** clear()s so far: a lookup that began before one must not cache what it read. */
  private clears = 0;

  constructor(
    private readonly ttlMs = 1000,
    private readonly readGeneration: () => number = () => 0,
    private readonly maxEntries = 10_000,
    private readonly generationCheckMs = 20,
  ) {}

  /** The store's generation, asked at most once per `generationCheckMs`. */
  private generation(now: Micros): number {
    const nowMs = now / 1000;
    if (nowMs - this.generationCheckedAt >= this.generationCheckMs) {
      this.knownGeneration = this.readGeneration();
      this.generationCheckedAt = nowMs;
    }
    return this.knownGeneration;
  }

  get(keyHash: string, now: Micros): Principal | undefined {
    const entry = this.entries.get(keyHash);
    if (entry === undefined) return undefined;
    const stale = entry.staleAt <= now / 1000 || entry.generation !== this.generation(now);
    if (stale || (entry.keyExpiresAt !== null && entry.keyExpiresAt <= now)) {
      this.entries.delete(keyHash);
      return undefined;
    }
    return entry.principal;
  }

  /**
   * True for one caller per entry, once the entry is in the last quarter of its life: that caller
   * looks the key up again (without making its request wait) and set()s or delete()s it.
   */
  claimRenewal(keyHash: string, now: Micros): boolean {
    const entry = this.entries.get(keyHash);
    if (entry === undefined || entry.renewing || now / 1000 < entry.staleAt - this.ttlMs / 4) return false;
    entry.renewing = true;
    return true;
  }

  /**
   * What the cache knew when a lookup began (taken then, and handed to set() with its answer): a
   * revocation since then, in this process or another, must not be undone by an older read.
   */
  snapshot(now: Micros): Snapshot {
    return { clears: this.clears, generation: this.generation(now) };
  }

  /** Caches a verified key; `now` is when its lookup began. Ignored if cleared since `since`. */
  set(
    keyHash: string,
    principal: Principal,
    keyExpiresAt: Micros | null,
    now: Micros,
    since: Snapshot = this.snapshot(now),
  ): void {
    if (this.ttlMs <= 0 || since.clears !== this.clears) return;
    if (!this.entries.has(keyHash) && this.entries.size >= this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(keyHash, {
      principal,
      keyExpiresAt,
      staleAt: now / 1000 + this.ttlMs,
      generation: since.generation,
      renewing: false,
    });
  }

  /** Forgets a key a lookup found unknown, revoked or expired. */
  delete(keyHash: string): void {
    this.entries.delete(keyHash);
  }

  clear(): void {
    this.clears += 1;
    this.entries.clear();
  }
}

import type { Principal } from './credentials.js';
import type { Micros } from './time.js';

interface Entry {
  principal: Principal;
  /** The key's own expiry, checked on every use. */
  keyExpiresAt: Micros | null;
  /** When this entry must be looked up again, in ms since the epoch. */
  staleAt: number;
  /** The store's generation when the entry was made. */
  generation: number;
}

/**
 * Recently verified API keys, by digest, so that a request does not need a store lookup to
 * authenticate (profiling put that lookup at a fifth of a GET). Bounded in size and in age:
 * an entry is trusted for `ttlMs` at most. Revocations in this process clear the cache at once.
 * On SQLite, `generation` (the file's data_version) moves whenever another process commits, so
 * a key revoked by the CLI stops working within `generationCheckMs` (asking SQLite on every
 * request was 4 % of a GET's CPU); on PostgreSQL a key revoked by another instance keeps working
 * for at most `ttlMs`. Only valid keys are cached, so unknown keys cannot crowd out real ones.
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  private knownGeneration = 0;
  private generationCheckedAt = -Infinity;

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

  set(keyHash: string, principal: Principal, keyExpiresAt: Micros | null, now: Micros): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(keyHash, {
      principal,
      keyExpiresAt,
      staleAt: now / 1000 + this.ttlMs,
      generation: this.generation(now),
    });
  }

  clear(): void {
    this.entries.clear();
  }
}

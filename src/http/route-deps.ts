import type { BlobStore } from '../store/blobs/blob-store.js';
import type { CredentialCache } from '../domain/api-keys/credential-cache.js';
import type { RecordingLinks } from '../domain/recordings/links.js';
import type { Db } from '../store/database.js';
import type { WebhookTargets } from '../domain/webhooks/webhooks.js';
import type { RateLimits } from '../domain/rate-limits/rate-limits.js';
import type { DialSignal } from '../domain/dialing/dial-jobs.js';
import type { DialingOptions } from '../domain/dialing/settings.js';
import type { Micros } from '../kernel/time.js';

/** What every route plugin is given. */
export interface RouteDeps {
  db: Db;
  /** What time it is for credentials and dial leases (AppDeps.clock). */
  clock: () => Micros;
  /** Verified API keys, shared by every route of one app. */
  credentialCache: CredentialCache;
  rateLimits: RateLimits;
  recordings: {
    blobs: BlobStore;
    links: RecordingLinks;
    /** Largest accepted upload, in bytes. */
    maxBytes: number;
    /** Scheme and host for signed URLs; undefined: taken from each request. */
    publicUrl: string | undefined;
  };
  /** Open server-sent event streams, closed when the server shuts down. */
  streams: Set<() => void>;
  concurrencyIntervalMs: number;
  /** Which webhook URLs are acceptable, and how their names resolve. */
  webhookTargets: WebhookTargets;
  /** Outbound calls: caps, allowed countries, leases. */
  dialing: DialingOptions;
  /** Wakes this process's waiting dial-job claims when a call is placed. */
  dialSignal: DialSignal;
}

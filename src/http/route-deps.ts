import type { DomainContext } from '../domain/context.js';
import type { CredentialCache } from '../domain/api-keys/credential-cache.js';
import type { RecordingLinks } from '../domain/recordings/links.js';
import type { WebhookTargets } from '../domain/webhooks/targets.js';
import type { RateLimits } from '../domain/rate-limits/rate-limits.js';
import type { DialSignal } from '../domain/dialing/dial-jobs.js';
import type { DialingOptions } from '../domain/dialing/settings.js';
import type { ConcurrencyFeed } from '../domain/calls/concurrency-feed.js';
import type { StreamSlots } from '../domain/calls/stream-slots.js';

/** What every route plugin is given: the domain's context, and what this app keeps for its routes. */
export interface RouteDeps extends DomainContext {
  /** Verified API keys, shared by every route of one app. */
  credentialCache: CredentialCache;
  rateLimits: RateLimits;
  recordings: {
    links: RecordingLinks;
    /** Largest accepted upload, in bytes. */
    maxBytes: number;
    /** Scheme and host for signed URLs; undefined: taken from each request. */
    publicUrl: string | undefined;
  };
  /** Open server-sent event streams, closed when the server shuts down. */
  streams: Set<() => void>;
  /** GET /v1/call/concurrency/stream: one count per project, slots per key and project, a lifetime. */
  concurrency: { feed: ConcurrencyFeed; slots: StreamSlots; maxLifetimeMs: number };
  /** Which webhook URLs are acceptable, and how their names resolve. */
  webhookTargets: WebhookTargets;
  /** Webhooks a project may have. */
  maxWebhooksPerProject: number;
  /** Outbound calls: caps, allowed countries, leases. */
  dialing: DialingOptions;
  /** Wakes this process's waiting dial-job claims when a call is placed. */
  dialSignal: DialSignal;
}

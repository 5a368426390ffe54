import type { Db } from '../../store/database.js';
import { recordAttempt, type WebhookEventRow } from '../../store/webhook-outbox-repo.js';
import { findWebhookById } from '../../store/webhooks-repo.js';
import { FairClaim } from './claim.js';
import { FanOut } from './fan-out.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import { VERSION } from '../../kernel/version.js';
import { postWebhook } from './post.js';
import { signatureHeader } from './signature.js';
import { systemResolver, type Resolver, type UrlPolicy } from './url-policy.js';

export interface DeliveryOptions {
  /** Longest wait for a receiver's answer. */
  timeoutMs: number;
  /** How long after an event was queued it is still retried; then it is marked failed. */
  retryWindowMs: number;
  /** First retry delay; it doubles per attempt (capped at an hour), with ±50 % jitter. */
  backoffBaseMs: number;
  /** How often the outbox is polled for due events. */
  pollMs: number;
  /** Deliveries in flight at once, from this process. */
  concurrency: number;
  /** Of those, at most this many for one project (default 4)... */
  projectConcurrency?: number;
  /** ... and this many for one webhook (default 2). */
  endpointConcurrency?: number;
  policy: UrlPolicy;
  resolve?: Resolver;
  onError?: (error: unknown, context: string) => void;
}

const MAX_BACKOFF_MS = 3_600_000;
/**
 * A claimed event is left alone for the timeout plus this margin. After a crash, the events the
 * dead worker held are sent again once their lease runs out.
 */
const LEASE_MARGIN_MS = 5_000;

/**
 * Sends webhook events: fans recorded status changes out into the outbox (fan-out.ts), claims
 * due events fairly between projects (claim.ts; each call's events in order, per webhook), POSTs
 * them signed, records every attempt, and reschedules failures with exponential backoff and
 * jitter until the retry window closes. A failed attempt also holds back the whole webhook, for
 * a delay that doubles with each failure in a row, so a dead receiver is tried now and then
 * rather than once per queued event. Deliveries run concurrently and never hold a transaction
 * open; a project holds at most `projectConcurrency` slots and a webhook `endpointConcurrency`,
 * so slow receivers delay only their own project's events.
 * At least once: an event whose attempt was cut short (crash, lease expiry) is sent again.
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = true;
  private readonly fanOut: FanOut;
  private readonly claims: FairClaim;

  constructor(
    private readonly db: Db,
    private readonly options: DeliveryOptions,
  ) {
    this.fanOut = new FanOut(db);
    this.claims = new FairClaim(db, {
      perProject: options.projectConcurrency ?? 4,
      perWebhook: options.endpointConcurrency ?? 2,
    });
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming and waits for the deliveries in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
    await Promise.all(this.inFlight);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
      });
    }, delayMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    let backlog = false;
    try {
      backlog = (await this.fanOut.round()).more;
    } catch (error) {
      this.options.onError?.(error, 'fanning out webhook events');
    }
    const free = this.options.concurrency - this.inFlight.size;
    let claimed = 0;
    if (free > 0) {
      try {
        const now = nowMicros();
        const lease = (this.options.timeoutMs + LEASE_MARGIN_MS) * 1000;
        const events = await this.claims.claim(now, now + lease, free);
        claimed = events.length;
        for (const event of events) this.track(event, this.deliver(event));
      } catch (error) {
        this.options.onError?.(error, 'claiming webhook events');
      }
    }
    this.schedule(backlog || (claimed === free && claimed > 0) ? 0 : this.options.pollMs);
  }

  private track(event: WebhookEventRow, delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => {
      this.inFlight.delete(delivery);
      this.claims.inFlight.remove(event);
      // A slot is free: look for more work now rather than at the next tick.
      if (!this.stopped && this.polling === undefined) this.schedule(0);
    });
  }

  private async deliver(event: WebhookEventRow): Promise<void> {
    try {
      const hook = await findWebhookById(this.db, event.webhook_id);
      if (hook === undefined) return; // deleted meanwhile, with its queue
      const sentAt = Math.floor(Date.now() / 1000);
      const outcome = await postWebhook(
        hook.url,
        event.payload,
        {
          'content-type': 'application/json',
          'user-agent': `diga-api-webhooks/${VERSION}`,
          'diga-signature': signatureHeader(hook.secret, event.payload, sentAt),
        },
        {
          timeoutMs: this.options.timeoutMs,
          policy: this.options.policy,
          resolve: this.options.resolve ?? systemResolver,
        },
      );
      const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
      const attempt = event.attempts + 1;
      const now = nowMicros();
      const expired = now - event.created_date >= this.options.retryWindowMs * 1000;
      const failuresInARow = hook.consecutive_failures + 1;
      await recordAttempt(
        this.db,
        {
          id: newId(),
          webhook_id: event.webhook_id,
          project_id: event.project_id,
          event_id: event.id,
          attempt,
          status_code: outcome.statusCode,
          latency_ms: outcome.latencyMs,
          error: ok ? null : (outcome.error ?? `HTTP ${outcome.statusCode}`),
          created_date: now,
        },
        {
          status: ok ? 'delivered' : expired ? 'failed' : 'pending',
          nextAttemptAt: ok || expired ? now : now + this.backoffMs(attempt) * 1000,
          deliveredAt: ok ? now : null,
          webhookRetryAfter: ok ? null : now + this.backoffMs(failuresInARow) * 1000,
        },
      );
    } catch (error) {
      // The store failed while recording: the lease expires and the event is tried again.
      this.options.onError?.(error, `delivering webhook event ${event.id}`);
    }
  }

  /** The delay after the `n`th failure (of an event, or of a webhook in a row). */
  private backoffMs(n: number): number {
    const base = Math.min(this.options.backoffBaseMs * 2 ** (Math.min(n, 40) - 1), MAX_BACKOFF_MS);
    return Math.round(base * (0.5 + Math.random()));
  }
}

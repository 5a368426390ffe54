import type { Db } from '../../store/database.js';
import { recordAttempt, type WebhookEventRow } from '../../store/webhook-outbox-repo.js';
import { findWebhookById } from '../../store/webhooks-repo.js';
import { FairClaim } from './claim.js';
import { FanOut } from './fan-out.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import { VERSION } from '../../kernel/version.js';
import { postWebhook } from './post.js';
import { payloadShownBy } from './recordings-shown.js';
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
 * While a fan-out backlog lasts, the next round waits at least this long, and at least twice as
 * long as the last round took: the fan-out takes at most a third of the process's time, and
 * requests and deliveries go on in between.
 */
const FAN_OUT_PAUSE_MS = 10;

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
  private fanOutTimer: NodeJS.Timeout | undefined;
  private fanningOut: Promise<void> | undefined;
  /** A slot was freed or events became due while a poll ran: poll again as soon as it ends. */
  private pollAgain = false;
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
    this.scheduleFanOut(0);
    this.schedule(0);
  }

  /** Stops claiming and waits for the deliveries in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.fanOutTimer);
    await this.fanningOut;
    await this.polling;
    // A claim under way when stopping may still start one more delivery: wait for that too.
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  /** The fan-out runs on its own turn, so that claiming never waits for a round. */
  private scheduleFanOut(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.fanOutTimer);
    this.fanOutTimer = setTimeout(() => {
      this.fanningOut = this.fanOutRound().finally(() => {
        this.fanningOut = undefined;
      });
    }, delayMs);
    this.fanOutTimer.unref();
  }

  private async fanOutRound(): Promise<void> {
    let round = { rows: 0, more: false };
    const started = performance.now();
    try {
      round = await this.fanOut.round();
    } catch (error) {
      this.options.onError?.(error, 'fanning out webhook events');
    }
    // New events are due: claim them now rather than at the next tick.
    if (round.rows > 0) this.pollSoon();
    const took = performance.now() - started;
    this.scheduleFanOut(round.more ? Math.max(FAN_OUT_PAUSE_MS, 2 * took) : this.options.pollMs);
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

  private pollSoon(): void {
    if (this.stopped) return;
    if (this.polling === undefined) this.schedule(0);
    else this.pollAgain = true;
  }

  private async poll(): Promise<void> {
    this.pollAgain = false;
    const free = this.options.concurrency - this.inFlight.size;
    let claimed = 0;
    if (free > 0) {
      try {
        const now = nowMicros();
        const events = await this.claims.claim(now, now + this.leaseMs() * 1000, free);
        claimed = events.length;
        for (const event of events) this.track(event, this.deliver(event));
      } catch (error) {
        this.options.onError?.(error, 'claiming webhook events');
      }
    }
    this.schedule(this.pollAgain || (claimed === free && claimed > 0) ? 0 : this.options.pollMs);
  }

  private track(event: WebhookEventRow, delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => {
      this.inFlight.delete(delivery);
      this.claims.inFlight.remove(event);
      // A slot is free. While others are free too, nobody waits for it: the webhook keeps it
      // for its next event, if it has one. Otherwise look for work now, fairly.
      if (this.options.concurrency - this.inFlight.size >= 2) this.continueAfter(event);
      else this.pollSoon();
    });
  }

  private continueAfter(done: WebhookEventRow): void {
    if (this.stopped) return;
    const next = (async () => {
      try {
        const now = nowMicros();
        const events = await this.claims.claimNext(done, now, now + this.leaseMs() * 1000);
        for (const event of events) this.track(event, this.deliver(event));
        if (events.length === 0) this.pollSoon();
      } catch (error) {
        this.options.onError?.(error, 'claiming webhook events');
        this.pollSoon();
      }
    })();
    // Counted as in flight while it claims, so stop() waits for it too.
    this.inFlight.add(next);
    void next.finally(() => this.inFlight.delete(next));
  }

  private leaseMs(): number {
    return this.options.timeoutMs + LEASE_MARGIN_MS;
  }

  private async deliver(event: WebhookEventRow): Promise<void> {
    try {
      const hook = await findWebhookById(this.db, event.webhook_id);
      if (hook === undefined) return; // deleted meanwhile, with its queue
      const sentAt = Math.floor(Date.now() / 1000);
      const payload = payloadShownBy(hook, event.payload);
      const outcome = await postWebhook(
        hook.url,
        payload,
        {
          'content-type': 'application/json',
          'user-agent': `diga-api-webhooks/${VERSION}`,
          'diga-signature': signatureHeader(hook.secret, payload, sentAt),
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

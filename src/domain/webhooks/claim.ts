import type { Db } from '../../store/database.js';
import { claimDueEvents, dueWebhooks, type DueWebhook, type WebhookEventRow } from '../../store/webhook-outbox-repo.js';

/** How a process shares its delivery slots. */
export interface ClaimLimits {
  /** Deliveries one project may have in flight from this process. */
  perProject: number;
  /** Deliveries one webhook may have in flight from this process. */
  perWebhook: number;
}

/** This process's deliveries in flight, counted by project and by webhook. */
export class InFlight {
  readonly byProject = new Map<string, number>();
  readonly byWebhook = new Map<string, number>();

  add(event: Pick<WebhookEventRow, 'project_id' | 'webhook_id'>): void {
    bump(this.byProject, event.project_id, 1);
    bump(this.byWebhook, event.webhook_id, 1);
  }

  remove(event: Pick<WebhookEventRow, 'project_id' | 'webhook_id'>): void {
    bump(this.byProject, event.project_id, -1);
    bump(this.byWebhook, event.webhook_id, -1);
  }
}

/**
 * Shares `free` slots between the webhooks with due events: round-robin between projects (one
 * slot per project per turn, starting after the project that went first last time), within a
 * project the webhooks waiting longest first, and never more than the limits in flight. So a
 * project whose receivers hang or whose webhooks are many holds at most `perProject` slots, and
 * the others keep theirs. `candidates` come longest waiting first.
 */
export function planClaims(
  candidates: DueWebhook[],
  inFlight: InFlight,
  limits: ClaimLimits,
  free: number,
  after: string | undefined,
): { picks: { webhookId: string; count: number }[]; servedFirst: string | undefined } {
  const byProject = new Map<string, string[]>();
  for (const c of candidates) byProject.set(c.project_id, [...(byProject.get(c.project_id) ?? []), c.webhook_id]);
  const projects = [...byProject.keys()].sort();
  const start = after === undefined ? 0 : projects.findIndex((id) => id > after);
  const order = start <= 0 ? projects : [...projects.slice(start), ...projects.slice(0, start)];

  const planned = new Map<string, number>();
  const projectLoad = new Map(order.map((id) => [id, inFlight.byProject.get(id) ?? 0]));
  const next = new Map(order.map((id) => [id, 0]));
  let left = free;
  let servedFirst: string | undefined;
  let progress = true;
  while (left > 0 && progress) {
    progress = false;
    for (const projectId of order) {
      if (left === 0) break;
      if ((projectLoad.get(projectId) ?? 0) >= limits.perProject) continue;
      const hooks = byProject.get(projectId) ?? [];
      // The project's next webhook with room, cycling through them.
      for (let tried = 0; tried < hooks.length; tried++) {
        const i = ((next.get(projectId) ?? 0) + tried) % hooks.length;
        const hook = hooks[i] as string;
        const load = (inFlight.byWebhook.get(hook) ?? 0) + (planned.get(hook) ?? 0);
        if (load >= limits.perWebhook) continue;
        planned.set(hook, (planned.get(hook) ?? 0) + 1);
        projectLoad.set(projectId, (projectLoad.get(projectId) ?? 0) + 1);
        next.set(projectId, i + 1);
        servedFirst ??= projectId;
        left--;
        progress = true;
        break;
      }
    }
  }
  return { picks: [...planned].map(([webhookId, count]) => ({ webhookId, count })), servedFirst };
}

/**
 * Claims due events for up to `free` slots, fairly between projects (planClaims), leasing them
 * until `leaseUntil`. Returns the events claimed, already counted in `inFlight`.
 */
export class FairClaim {
  readonly inFlight = new InFlight();
  private after: string | undefined;

  constructor(
    private readonly db: Db,
    private readonly limits: ClaimLimits,
  ) {}

  async claim(now: number, leaseUntil: number, free: number): Promise<WebhookEventRow[]> {
    const full = <K>(counts: Map<K, number>, limit: number) =>
      [...counts].filter(([, n]) => n >= limit).map(([key]) => key);
    const candidates = await dueWebhooks(this.db, now, {
      perProject: this.limits.perProject * 2,
      limit: Math.max(100, free * 4),
      excludeWebhooks: full(this.inFlight.byWebhook, this.limits.perWebhook),
      excludeProjects: full(this.inFlight.byProject, this.limits.perProject),
    });
    const { picks, servedFirst } = planClaims(candidates, this.inFlight, this.limits, free, this.after);
    if (picks.length === 0) return [];
    this.after = servedFirst;
    const events = await claimDueEvents(this.db, now, leaseUntil, picks);
    for (const event of events) this.inFlight.add(event);
    return events;
  }

  /**
   * The next due event of the webhook that `done` was sent to, for the slot it just freed, when
   * its webhook and project are within their limits: a webhook with a backlog keeps its slot
   * without a search through every webhook. The caller uses it only while other slots are
   * free, so no other project is waiting for this one.
   */
  async claimNext(
    done: Pick<WebhookEventRow, 'project_id' | 'webhook_id'>,
    now: number,
    leaseUntil: number,
  ): Promise<WebhookEventRow[]> {
    if ((this.inFlight.byProject.get(done.project_id) ?? 0) >= this.limits.perProject) return [];
    if ((this.inFlight.byWebhook.get(done.webhook_id) ?? 0) >= this.limits.perWebhook) return [];
    const events = await claimDueEvents(this.db, now, leaseUntil, [{ webhookId: done.webhook_id, count: 1 }]);
    for (const event of events) this.inFlight.add(event);
    return events;
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n <= 0) counts.delete(key);
  else counts.set(key, n);
}

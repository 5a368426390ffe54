import { randomBytes } from 'node:crypto';
import { ApiError, RequestValidationError } from '../../kernel/errors.js';
import type { Db } from '../../store/database.js';
import { deliveriesOf, findDelivery, requeueEvent, type WebhookDeliveryRow } from '../../store/webhook-outbox-repo.js';
import {
  deleteWebhook,
  findWebhook,
  insertWebhook,
  updateWebhook,
  webhooksOf,
  type WebhookRow,
} from '../../store/webhooks-repo.js';
import {
  ForbiddenDestinationError,
  hostOf,
  urlProblem,
  vettedAddresses,
  type Resolver,
  type UrlPolicy,
} from './url-policy.js';
import type { WebhookEvent } from '../../contract/webhooks.js';
import { paginate } from '../paginate.js';
import { filteredListing } from '../../store/keyset.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { formatInstant, nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';

/** WebhookResponse: never the secret. */
export interface WebhookView {
  id: string;
  url: string;
  subscribed_events: WebhookEvent[];
  created_date: string;
}

export interface DeliveryView {
  id: string;
  event_id: string;
  attempt: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  created_date: string;
}

/** What checks a webhook URL: the policy, and the resolver used at save and at delivery. */
export interface WebhookTargets {
  policy: UrlPolicy;
  resolve: Resolver;
}

const webhookNotFound = () => new ApiError(404, 'WEBHOOK_NOT_FOUND', 'Error from WebhookNotFoundException');
const deliveryNotFound = () => new ApiError(404, 'DELIVERY_NOT_FOUND', 'Webhook delivery not found');
const newSecret = () => `whsec_${randomBytes(32).toString('hex')}`;

export async function createWebhook(
  db: Db,
  projectId: string,
  request: { url: string; subscribed_events: WebhookEvent[] },
  targets: WebhookTargets,
): Promise<WebhookView & { secret: string }> {
  await assertDeliverable(request.url, targets);
  const row: WebhookRow = {
    id: newId(),
    project_id: projectId,
    url: request.url,
    subscribed_events: JSON.stringify([...new Set(request.subscribed_events)]),
    secret: newSecret(),
    created_date: nowMicros(),
  };
  await insertWebhook(db, row);
  return { ...toWebhookView(row), secret: row.secret };
}

export async function listWebhooks(db: Db, projectId: string, request: PageRequest): Promise<Page<WebhookView>> {
  return paginate(
    request,
    {
      items: filteredListing(db, webhooksOf(db, projectId)),
      createdDateOf: async (id) => (await findWebhook(db, projectId, id))?.created_date,
      noun: 'Webhook',
    },
    toWebhookView,
  );
}

export async function getWebhook(db: Db, projectId: string, id: string): Promise<WebhookView> {
  return toWebhookView(await existing(db, projectId, id));
}

export async function updateWebhookSettings(
  db: Db,
  projectId: string,
  id: string,
  changes: { url?: string; subscribed_events?: WebhookEvent[] | null },
  targets: WebhookTargets,
): Promise<WebhookView> {
  const row = await existing(db, projectId, id);
  if (changes.url !== undefined) await assertDeliverable(changes.url, targets);
  const updated = {
    url: changes.url ?? row.url,
    subscribed_events:
      changes.subscribed_events === undefined || changes.subscribed_events === null
        ? row.subscribed_events
        : JSON.stringify([...new Set(changes.subscribed_events)]),
  };
  await updateWebhook(db, id, updated);
  return toWebhookView({ ...row, ...updated });
}

export async function removeWebhook(db: Db, projectId: string, id: string): Promise<void> {
  await existing(db, projectId, id);
  await db.transaction().execute((trx) => deleteWebhook(trx, id));
}

/** A new signing secret, in force for the very next delivery; the old one stops at once. */
export async function rotateWebhookSecret(db: Db, projectId: string, id: string): Promise<{ secret: string }> {
  await existing(db, projectId, id);
  const secret = newSecret();
  await updateWebhook(db, id, { secret });
  return { secret };
}

export async function listDeliveries(
  db: Db,
  projectId: string,
  webhookId: string,
  request: PageRequest,
): Promise<Page<DeliveryView>> {
  await existing(db, projectId, webhookId);
  return paginate(
    request,
    {
      items: filteredListing(db, deliveriesOf(db, webhookId)),
      createdDateOf: async (id) => (await findDelivery(db, webhookId, id))?.created_date,
      noun: 'Delivery',
    },
    toDeliveryView,
  );
}

/** Sends a delivery's event again, as soon as it is the head of its call's queue. */
export async function redeliver(
  db: Db,
  projectId: string,
  webhookId: string,
  deliveryId: string,
): Promise<{ event_id: string; status: 'pending' }> {
  await existing(db, projectId, webhookId);
  const delivery = await findDelivery(db, webhookId, deliveryId);
  if (delivery === undefined) throw deliveryNotFound();
  await requeueEvent(db, delivery.event_id, nowMicros());
  return { event_id: delivery.event_id, status: 'pending' };
}

async function existing(db: Db, projectId: string, id: string): Promise<WebhookRow> {
  const row = await findWebhook(db, projectId, id);
  if (row === undefined) throw webhookNotFound();
  return row;
}

/** 422 for a URL the policy refuses, as written or as its name resolves now. */
async function assertDeliverable(url: string, targets: WebhookTargets): Promise<void> {
  let problem = urlProblem(url, targets.policy);
  if (problem === undefined) {
    try {
      await vettedAddresses(hostOf(new URL(url)), targets.policy, targets.resolve);
    } catch (error) {
      // A name that does not resolve today may tomorrow; delivery checks again either way.
      if (error instanceof ForbiddenDestinationError) problem = error.message;
    }
  }
  if (problem !== undefined) {
    throw new RequestValidationError([
      { type: 'value_error', loc: ['body', 'url'], msg: `Value error, webhook URL ${problem}`, input: url },
    ]);
  }
}

function toWebhookView(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    subscribed_events: JSON.parse(row.subscribed_events) as WebhookEvent[],
    created_date: formatInstant(row.created_date),
  };
}

function toDeliveryView(row: WebhookDeliveryRow): DeliveryView {
  return {
    id: row.id,
    event_id: row.event_id,
    attempt: row.attempt,
    status_code: row.status_code,
    latency_ms: row.latency_ms,
    error: row.error,
    created_date: formatInstant(row.created_date),
  };
}

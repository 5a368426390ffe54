import type { Db } from '../../store/database.js';
import { filteredListing } from '../../store/keyset.js';
import { deliveriesOf, findDelivery } from '../../store/webhook-outbox-repo.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { paginate } from '../paginate.js';
import { existingWebhook } from './existing-webhook.js';
import { toDeliveryView, type DeliveryView } from './view.js';

/** A webhook's delivery attempts, newest first. */
export async function listDeliveries(
  db: Db,
  projectId: string,
  webhookId: string,
  request: PageRequest,
): Promise<Page<DeliveryView>> {
  await existingWebhook(db, projectId, webhookId);
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

import type { Db } from '../../store/database.js';
import { filteredListing } from '../../store/keyset.js';
import { findWebhook, webhooksOf } from '../../store/webhooks-repo.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { paginate } from '../paginate.js';
import { toWebhookView, type WebhookView } from './view.js';

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

import type { Db } from '../../store/database.js';
import { findLiveApiKey, liveApiKeysOf } from '../../store/credentials-repo.js';
import { filteredListing } from '../../store/keyset.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { paginate } from '../paginate.js';
import { toApiKeyView, type ApiKeyView } from './view.js';

/** The project's live keys, newest first. */
export async function listApiKeys(db: Db, projectId: string, request: PageRequest): Promise<Page<ApiKeyView>> {
  return paginate(
    request,
    {
      items: filteredListing(db, liveApiKeysOf(db, projectId)),
      createdDateOf: async (id) => (await findLiveApiKey(db, projectId, id))?.created_date,
      noun: 'API key',
    },
    toApiKeyView,
  );
}

import type { Db } from '../../store/database.js';
import { existingApiKey } from './existing-api-key.js';
import { toApiKeyView, type ApiKeyView } from './view.js';

export async function getApiKey(db: Db, projectId: string, id: string): Promise<ApiKeyView> {
  return toApiKeyView(await existingApiKey(db, projectId, id));
}

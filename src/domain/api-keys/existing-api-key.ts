import type { Db } from '../../store/database.js';
import { findLiveApiKey, type ApiKeyRow } from '../../store/credentials-repo.js';
import { apiKeyErrors } from './errors.js';

/** The project's live (unrevoked) key; 404 when the project has none with this id. */
export async function existingApiKey(db: Db, projectId: string, id: string): Promise<ApiKeyRow> {
  const row = await findLiveApiKey(db, projectId, id);
  if (row === undefined) throw apiKeyErrors.notFound();
  return row;
}

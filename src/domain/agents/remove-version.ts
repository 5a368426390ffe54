import { deleteVersion } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { agentErrors } from './errors.js';
import { existingAgent, existingVersionOf } from './existing-agent.js';

/** Deletes a launched version; the draft and the published version cannot be deleted. */
export async function removeVersion(db: Db, projectId: string, agentId: string, versionId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const agent = await existingAgent(trx, projectId, agentId);
    const version = await existingVersionOf(trx, projectId, agent, versionId);
    if (version.id === agent.published_version_id || version.is_draft === 1) {
      throw agentErrors.versionInUseNotDeletable(version.is_draft === 1 ? 'draft' : 'published', versionId, agentId);
    }
    await deleteVersion(trx, version.id);
  });
}

import { deleteAgent } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { rebindAgent } from '../../store/phones-repo.js';
import { agentErrors } from './errors.js';
import { existingAgent } from './existing-agent.js';

/** Deletes an agent and its versions; refused while a version is published. */
export async function removeAgent(db: Db, projectId: string, agentId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const agent = await existingAgent(trx, projectId, agentId);
    if (agent.published_version_id !== null) throw agentErrors.publishedAgentNotDeletable(agentId);
    await rebindAgent(trx, agent.id, null);
    await deleteAgent(trx, agent.id);
  });
}

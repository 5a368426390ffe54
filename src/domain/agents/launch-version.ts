import { insertVersion, lastVersionNumber, updateAgent } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import type { AgentConfig } from './agent-config.js';
import { draftOf, existingAgent } from './existing-agent.js';
import { versionRow } from './version-row.js';
import { toAgentView, type AgentView } from './view.js';

/** A numbered version (v2, v3, …) frozen from the current draft. */
export async function launchVersion(
  db: Db,
  projectId: string,
  agentId: string,
  versionName: string | null,
): Promise<AgentView> {
  return db.transaction().execute(async (trx) => {
    const agent = await existingAgent(trx, projectId, agentId);
    const draft = await draftOf(trx, projectId, agent);
    const now = nowMicros();
    const number = (await lastVersionNumber(trx, agent.id)) + 1;
    const version = versionRow(agent, newId(), number, versionName, JSON.parse(draft.config) as AgentConfig, now);
    await insertVersion(trx, version);
    await updateAgent(trx, agent.id, { modified_at: now });
    return toAgentView({ ...agent, modified_at: now }, version);
  });
}

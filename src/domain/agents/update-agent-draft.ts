import { updateAgent, updateVersion } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { nowMicros } from '../../kernel/time.js';
import { assertPathMode, type AgentConfig } from './agent-config.js';
import { draftOf, existingAgent } from './existing-agent.js';
import { toAgentView, type AgentView } from './view.js';

/** Changes the draft: only the fields given, the rest as they were. */
export async function updateAgentDraft(
  db: Db,
  projectId: string,
  agentId: string,
  changes: Record<string, unknown>,
): Promise<AgentView> {
  return db.transaction().execute(async (trx) => {
    const agent = await existingAgent(trx, projectId, agentId);
    const draft = await draftOf(trx, projectId, agent);
    const config = { ...(JSON.parse(draft.config) as AgentConfig), ...changes } as AgentConfig;
    assertPathMode(config, 'body');
    const now = nowMicros();
    await updateVersion(trx, draft.id, { config: JSON.stringify(config), mode: config.mode, modified_at: now });
    const name = (config.name as string | null) ?? '';
    await updateAgent(trx, agent.id, { name, modified_at: now });
    return toAgentView(
      { ...agent, name, modified_at: now },
      { ...draft, config: JSON.stringify(config), mode: config.mode },
    );
  });
}

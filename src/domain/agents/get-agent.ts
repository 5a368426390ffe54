import type { Db } from '../../store/database.js';
import { agentErrors } from './errors.js';
import { existingAgent, existingVersionOf } from './existing-agent.js';
import { toAgentView, type AgentView } from './view.js';

/** The agent's draft, one of its versions, or its published version. */
export async function getAgent(
  db: Db,
  projectId: string,
  agentId: string,
  which: { versionId?: string; isPublished: boolean },
): Promise<AgentView> {
  if (which.versionId !== undefined && which.isPublished) throw agentErrors.versionAndPublishedTogether();
  const agent = await existingAgent(db, projectId, agentId);
  const versionId = which.versionId ?? (which.isPublished ? agent.published_version_id : agent.draft_version_id);
  if (versionId === null) throw agentErrors.noPublishedVersion(agentId);
  return toAgentView(agent, await existingVersionOf(db, projectId, agent, versionId));
}

import { findAgent, findVersion, type AgentRow, type AgentVersionRow } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { agentErrors } from './errors.js';

/** The project's agent; 404 when the project has none with this id. */
export async function existingAgent(db: Db, projectId: string, agentId: string): Promise<AgentRow> {
  const agent = await findAgent(db, projectId, agentId);
  if (agent === undefined) throw agentErrors.notFound(agentId);
  return agent;
}

/** One of the agent's versions; 404 when the id names no version of this agent. */
export async function existingVersionOf(
  db: Db,
  projectId: string,
  agent: AgentRow,
  versionId: string,
): Promise<AgentVersionRow> {
  const version = await findVersion(db, projectId, versionId);
  if (version === undefined || version.agent_id !== agent.id) throw agentErrors.versionNotFound(versionId);
  return version;
}

/** The agent's draft: every agent has one from its creation on. */
export async function draftOf(db: Db, projectId: string, agent: AgentRow): Promise<AgentVersionRow> {
  return (await findVersion(db, projectId, agent.draft_version_id as string)) as AgentVersionRow;
}

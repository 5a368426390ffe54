import type { AgentRow, AgentVersionRow } from '../../store/agents-repo.js';
import type { AgentConfig } from './agent-config.js';

/** A version of `agent` holding `config`; number 0 is the draft, 1 and up are launched versions. */
export function versionRow(
  agent: AgentRow,
  id: string,
  number: number,
  name: string | null,
  config: AgentConfig,
  now: number,
): AgentVersionRow {
  return {
    id,
    project_id: agent.project_id,
    agent_id: agent.id,
    name,
    created_date: now,
    number,
    is_draft: number === 0 ? 1 : 0,
    mode: config.mode,
    config: JSON.stringify(config),
    modified_at: now,
  };
}

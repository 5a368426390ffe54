import { insertAgent, insertVersion, type AgentRow } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import { assertPathMode, CONFIG_DEFAULTS, type AgentConfig } from './agent-config.js';
import { versionRow } from './version-row.js';
import { toAgentView, type AgentView } from './view.js';

/** Creates an agent: its draft and, unless `isDraft`, version 1 (what the response shows). */
export async function createAgent(
  db: Db,
  projectId: string,
  request: Record<string, unknown>,
  isDraft: boolean,
): Promise<AgentView> {
  const { version_name: versionName, ...given } = request;
  const config = { ...CONFIG_DEFAULTS, ...given } as unknown as AgentConfig;
  assertPathMode(config, 'body');
  const now = nowMicros();
  const agent: AgentRow = {
    id: newId(),
    project_id: projectId,
    name: (config.name as string | null) ?? '',
    created_date: now,
    modified_at: now,
    published_version_id: null,
    draft_version_id: newId(),
  };
  const draft = versionRow(agent, agent.draft_version_id as string, 0, null, config, now);
  // One microsecond later, so listings order the draft before version 1 (they sort by date).
  const first = versionRow(agent, newId(), 1, (versionName as string | null) ?? null, config, now + 1);
  await db.transaction().execute(async (trx) => {
    await insertAgent(trx, agent);
    await insertVersion(trx, draft);
    if (!isDraft) await insertVersion(trx, first);
  });
  return toAgentView(agent, isDraft ? draft : first);
}

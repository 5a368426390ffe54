import { findVersion, versionsOf } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { filteredListing } from '../../store/keyset.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { paginate } from '../paginate.js';
import { existingAgent } from './existing-agent.js';
import type { AgentFilter } from './list-agents.js';
import { toAgentView, type AgentView } from './view.js';

/** An agent's versions, the draft included, each shown as the agent with that version. */
export async function listVersions(
  db: Db,
  projectId: string,
  agentId: string,
  request: PageRequest,
  filter: AgentFilter,
): Promise<Page<AgentView>> {
  const agent = await existingAgent(db, projectId, agentId);
  let query = versionsOf(db, agent.id);
  if (filter.isPublished) query = query.where('id', '=', agent.published_version_id ?? '');
  if (filter.mode !== undefined) query = query.where('mode', '=', filter.mode);
  return paginate(
    request,
    {
      items: filteredListing(db, query),
      createdDateOf: async (id) => {
        const version = await findVersion(db, projectId, id);
        return version?.agent_id === agent.id ? version.created_date : undefined;
      },
      noun: 'Agent version',
    },
    (row) => ({ id: row.id, ...toAgentView(agent, row) }),
  ).then((page) => ({ ...page, data: page.data.map(({ id: _id, ...view }) => view) }));
}

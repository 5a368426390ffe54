import type { Static } from '@sinclair/typebox';
import type { AgentModeSchema } from '../../contract/agents.js';
import { agentsOf, findAgent, findVersions, type AgentVersionRow } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { filteredListing } from '../../store/keyset.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { paginate } from '../paginate.js';
import { toAgentView, type AgentView } from './view.js';

/** The filters of GET /v1/agent/ and of an agent's versions: the mode and published ones only. */
export interface AgentFilter {
  mode?: Static<typeof AgentModeSchema>;
  isPublished: boolean;
}

/** The project's agents, each shown by its draft or, with `isPublished`, its published version. */
export async function listAgents(
  db: Db,
  projectId: string,
  request: PageRequest,
  filter: AgentFilter,
): Promise<Page<AgentView>> {
  let query = agentsOf(db, projectId);
  if (filter.isPublished) query = query.where('published_version_id', 'is not', null);
  if (filter.mode !== undefined) {
    const shown = filter.isPublished ? 'agents.published_version_id' : 'agents.draft_version_id';
    const mode = filter.mode;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('agent_versions')
          .select('agent_versions.id')
          .whereRef('agent_versions.id', '=', shown)
          .where('agent_versions.mode', '=', mode),
      ),
    );
  }
  const page = await paginate(
    request,
    {
      items: filteredListing(db, query),
      createdDateOf: async (id) => (await findAgent(db, projectId, id))?.created_date,
      noun: 'Agent',
    },
    (row) => row,
  );
  const shownIds = page.data.map((a) => (filter.isPublished ? a.published_version_id : a.draft_version_id) as string);
  const versions = await findVersions(db, shownIds);
  return {
    ...page,
    data: page.data.map((agent, i) => toAgentView(agent, versions.get(shownIds[i] as string) as AgentVersionRow)),
  };
}

import { ApiError, errors, RequestValidationError } from '../../kernel/errors.js';
import { CONFIG_DEFAULTS } from '../../contract/agents.js';
import {
  agentsOf,
  deleteAgent,
  deleteVersion,
  findAgent,
  findVersion,
  findVersions,
  insertAgent,
  insertVersion,
  lastVersionNumber,
  updateAgent,
  updateVersion,
  versionsOf,
  type AgentRow,
  type AgentVersionRow,
} from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { bindPhone, findPhone, rebindAgent } from '../../store/phones-repo.js';
import { paginate } from '../paginate.js';
import { filteredListing } from '../../store/keyset.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import { toAgentView, type AgentConfig, type AgentView } from './agent-view.js';

export interface AgentFilter {
  mode?: 'free' | 'path';
  isPublished: boolean;
}

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

/** The agent's draft, one of its versions, or its published version. */
export async function getAgent(
  db: Db,
  projectId: string,
  agentId: string,
  which: { versionId?: string; isPublished: boolean },
): Promise<AgentView> {
  if (which.versionId !== undefined && which.isPublished) {
    throw errors.badParameter('Cannot specify both version_id and is_published parameters together');
  }
  const agent = await existingAgent(db, projectId, agentId);
  const versionId = which.versionId ?? (which.isPublished ? agent.published_version_id : agent.draft_version_id);
  if (versionId === null) throw errors.badParameter(`Agent ${agentId} has no published version`);
  const version = await findVersion(db, projectId, versionId);
  if (version === undefined || version.agent_id !== agent.id) throw errors.agentVersionNotFound(versionId);
  return toAgentView(agent, version);
}

/** Changes the draft: only the fields given, the rest as they were. */
export async function updateAgentDraft(
  db: Db,
  projectId: string,
  agentId: string,
  changes: Record<string, unknown>,
): Promise<AgentView> {
  return db.transaction().execute(async (trx) => {
    const agent = await existingAgent(trx, projectId, agentId);
    const draft = (await findVersion(trx, projectId, agent.draft_version_id as string)) as AgentVersionRow;
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

/** Deletes an agent and its versions; refused while a version is published. */
export async function removeAgent(db: Db, projectId: string, agentId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const agent = await existingAgent(trx, projectId, agentId);
    if (agent.published_version_id !== null) {
      throw new ApiError(
        409,
        'PUBLISHED_AGENT_VERSION_DELETION',
        `Cannot delete agent ${agentId} with published versions`,
      );
    }
    await rebindAgent(trx, agent.id, null);
    await deleteAgent(trx, agent.id);
  });
}

/** A numbered version (v2, v3, …) frozen from the current draft. */
export async function launchVersion(
  db: Db,
  projectId: string,
  agentId: string,
  versionName: string | null,
): Promise<AgentView> {
  return db.transaction().execute(async (trx) => {
    const agent = await existingAgent(trx, projectId, agentId);
    const draft = (await findVersion(trx, projectId, agent.draft_version_id as string)) as AgentVersionRow;
    const now = nowMicros();
    const number = (await lastVersionNumber(trx, agent.id)) + 1;
    const version = versionRow(agent, newId(), number, versionName, JSON.parse(draft.config) as AgentConfig, now);
    await insertVersion(trx, version);
    await updateAgent(trx, agent.id, { modified_at: now });
    return toAgentView({ ...agent, modified_at: now }, version);
  });
}

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

/** Deletes a launched version; the draft and the published version cannot be deleted. */
export async function removeVersion(db: Db, projectId: string, agentId: string, versionId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const agent = await existingAgent(trx, projectId, agentId);
    const version = await findVersion(trx, projectId, versionId);
    if (version === undefined || version.agent_id !== agent.id) throw errors.agentVersionNotFound(versionId);
    if (version.id === agent.published_version_id || version.is_draft === 1) {
      const what = version.is_draft === 1 ? 'draft' : 'published';
      throw new ApiError(
        409,
        'PUBLISHED_AGENT_VERSION_DELETION',
        `Cannot delete ${what} version ${versionId} of agent ${agentId}`,
      );
    }
    await deleteVersion(trx, version.id);
  });
}

/**
 * Publishes a launched version (an agent has one published version: every phone bound to one
 * of its versions now uses this one) and binds the given phones to it; a null version_id
 * unpublishes the agent and unbinds its phones.
 */
export async function publishVersion(
  db: Db,
  projectId: string,
  agentId: string,
  request: {
    version_id?: string | null;
    outbound_phone_number_id?: string | null;
    inbound_phone_number_id?: string | null;
  },
): Promise<{
  agent_id: string;
  published_version_id: string | null;
  outbound_phone_number_id: string | null;
  inbound_phone_number_id: string | null;
}> {
  return db.transaction().execute(async (trx) => {
    const agent = await existingAgent(trx, projectId, agentId);
    const versionId = request.version_id ?? null;
    const outbound = request.outbound_phone_number_id ?? null;
    const inbound = request.inbound_phone_number_id ?? null;
    if (versionId === null) {
      if (outbound !== null || inbound !== null) {
        throw errors.badParameter('Phone numbers can only be bound to a published version');
      }
      await rebindAgent(trx, agent.id, null);
      await updateAgent(trx, agent.id, { published_version_id: null, modified_at: nowMicros() });
      return {
        agent_id: agent.id,
        published_version_id: null,
        outbound_phone_number_id: null,
        inbound_phone_number_id: null,
      };
    }
    const version = await findVersion(trx, projectId, versionId);
    if (version === undefined || version.agent_id !== agent.id) throw errors.agentVersionNotFound(versionId);
    if (version.is_draft === 1) {
      throw errors.draftNotPublishable();
    }
    for (const phoneId of [outbound, inbound]) {
      if (phoneId !== null && (await findPhone(trx, projectId, phoneId)) === undefined) {
        throw errors.phoneNumberNotFound(phoneId);
      }
    }
    await rebindAgent(trx, agent.id, version.id);
    if (outbound !== null) await bindPhone(trx, outbound, 'outbound', version.id);
    if (inbound !== null) await bindPhone(trx, inbound, 'inbound', version.id);
    await updateAgent(trx, agent.id, { published_version_id: version.id, modified_at: nowMicros() });
    return {
      agent_id: agent.id,
      published_version_id: version.id,
      outbound_phone_number_id: outbound,
      inbound_phone_number_id: inbound,
    };
  });
}

export async function existingAgent(db: Db, projectId: string, agentId: string): Promise<AgentRow> {
  const agent = await findAgent(db, projectId, agentId);
  if (agent === undefined) throw errors.agentNotFound(agentId);
  return agent;
}

function versionRow(
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

/** The reference: mode 'path' REQUIRES conversational_path_id. */
function assertPathMode(config: AgentConfig, where: string): void {
  if (config.mode === 'path' && (config.conversational_path_id ?? null) === null) {
    throw new RequestValidationError([
      {
        type: 'value_error',
        loc: [where, 'conversational_path_id'],
        msg: "Value error, conversational_path_id is required when mode is 'path'",
        input: null,
      },
    ]);
  }
}

import type { Static } from '@sinclair/typebox';
import type { PublishAgentRequestSchema } from '../../contract/agents.js';
import { updateAgent, type AgentRow } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { bindPhone, findPhone, rebindAgent } from '../../store/phones-repo.js';
import { nowMicros } from '../../kernel/time.js';
import { phoneErrors } from '../phones/errors.js';
import { agentErrors } from './errors.js';
import { existingAgent, existingVersionOf } from './existing-agent.js';
import type { PublishedAgentView } from './view.js';

export type PublishRequest = Static<typeof PublishAgentRequestSchema>;

/**
 * Publishes a launched version (an agent has one published version: every phone bound to one
 * of its versions now uses this one) and binds the given phones to it; a null version_id
 * unpublishes the agent and unbinds its phones.
 */
export async function publishVersion(
  db: Db,
  projectId: string,
  agentId: string,
  request: PublishRequest,
): Promise<PublishedAgentView> {
  return db.transaction().execute(async (trx) => {
    const agent = await existingAgent(trx, projectId, agentId);
    const versionId = request.version_id ?? null;
    const outbound = request.outbound_phone_number_id ?? null;
    const inbound = request.inbound_phone_number_id ?? null;
    if (versionId === null) {
      if (outbound !== null || inbound !== null) throw agentErrors.phonesNeedVersion();
      return unpublish(trx, agent);
    }
    const version = await existingVersionOf(trx, projectId, agent, versionId);
    if (version.is_draft === 1) throw agentErrors.draftNotPublishable();
    for (const phoneId of [outbound, inbound]) {
      if (phoneId !== null && (await findPhone(trx, projectId, phoneId)) === undefined) {
        throw phoneErrors.notFound(phoneId);
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

/** No version published: the agent's phones are unbound. */
async function unpublish(trx: Db, agent: AgentRow): Promise<PublishedAgentView> {
  await rebindAgent(trx, agent.id, null);
  await updateAgent(trx, agent.id, { published_version_id: null, modified_at: nowMicros() });
  return {
    agent_id: agent.id,
    published_version_id: null,
    outbound_phone_number_id: null,
    inbound_phone_number_id: null,
  };
}

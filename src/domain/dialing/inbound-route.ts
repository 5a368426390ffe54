import { findVersion } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { findPhoneById } from '../../store/phones-repo.js';
import type { AgentConfig } from '../agents/agent-config.js';
import { dialingErrors } from './errors.js';

/** What a runtime needs to answer a call to one of the project phones. */
export interface InboundRoute {
  project_id: string;
  phone_register_id: string;
  number: string;
  agent_id: string;
  agent_version_id: string;
  agent: AgentConfig;
}

/** The agent version published on a phone's inbound binding; 404 when none is. */
export async function inboundRoute(db: Db, phoneId: string): Promise<InboundRoute> {
  const phone = await findPhoneById(db, phoneId);
  const version =
    phone?.inbound_version_id == null ? undefined : await findVersion(db, phone.project_id, phone.inbound_version_id);
  if (phone === undefined || version === undefined) throw dialingErrors.noInboundRoute(phoneId);
  return {
    project_id: phone.project_id,
    phone_register_id: phone.id,
    number: phone.number,
    agent_id: version.agent_id,
    agent_version_id: version.id,
    agent: JSON.parse(version.config) as AgentConfig,
  };
}

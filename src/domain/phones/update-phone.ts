import type { Static } from '@sinclair/typebox';
import type { PhoneUpdateRequestSchema } from '../../contract/phones.js';
import { findVersion, updateAgent } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { phonesBoundToAgent, updatePhone, type Direction } from '../../store/phones-repo.js';
import { nowMicros } from '../../kernel/time.js';
import { agentErrors } from '../agents/errors.js';
import { existingAgent } from '../agents/existing-agent.js';
import { phoneErrors } from './errors.js';
import { agentsOfBindings } from './bound-agents.js';
import { existingPhone } from './existing-phone.js';
import { toPhoneView, type PhoneView } from './view.js';

/**
 * Renames a phone and/or binds versions to it. Binding a version publishes it; an agent has one
 * published version, so binding another version of an agent that is published on another
 * phone is refused (409). A null version id unbinds that direction.
 */
export async function updatePhoneSettings(
  db: Db,
  projectId: string,
  phoneId: string,
  changes: Static<typeof PhoneUpdateRequestSchema>,
): Promise<PhoneView> {
  return db.transaction().execute(async (trx) => {
    const phone = await existingPhone(trx, projectId, phoneId);
    const update: Parameters<typeof updatePhone>[2] = {};
    if (changes.nickname !== undefined) update.nickname = changes.nickname;
    for (const direction of ['inbound', 'outbound'] as const) {
      const versionId = changes[`${direction}_version_id`];
      if (versionId === undefined) continue;
      update[`${direction}_version_id`] = versionId;
      if (versionId !== null) await publishOnPhone(trx, projectId, phone.id, versionId, direction);
    }
    await updatePhone(trx, phone.id, update);
    const updated = { ...phone, ...update };
    return toPhoneView(updated, await agentsOfBindings(trx, [updated]));
  });
}

async function publishOnPhone(
  trx: Db,
  projectId: string,
  phoneId: string,
  versionId: string,
  direction: Direction,
): Promise<void> {
  const version = await findVersion(trx, projectId, versionId);
  if (version === undefined) throw agentErrors.versionNotFound(versionId);
  if (version.is_draft === 1) throw agentErrors.draftNotPublishable();
  const agent = await existingAgent(trx, projectId, version.agent_id);
  if (agent.published_version_id !== null && agent.published_version_id !== version.id) {
    const [elsewhere] = await phonesBoundToAgent(trx, agent.id, phoneId);
    if (elsewhere !== undefined) {
      throw phoneErrors.agentPublishedElsewhere(agent.id, agent.published_version_id, elsewhere.id, direction);
    }
  }
  await updateAgent(trx, agent.id, { published_version_id: version.id, modified_at: nowMicros() });
}

import type { Static } from '@sinclair/typebox';
import type { PhoneRegisterStatusSchema } from '../../contract/phones.js';
import type { Db } from '../../store/database.js';
import { dbInstant } from '../../store/dialect.js';
import { filteredListing } from '../../store/keyset.js';
import { findPhone, phonesOf } from '../../store/phones-repo.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import type { Micros } from '../../kernel/time.js';
import { paginate } from '../paginate.js';
import { agentsOfBindings } from './bound-agents.js';
import { toPhoneView, type PhoneView } from './view.js';

export interface PhoneFilter {
  inboundAgentId?: string;
  outboundAgentId?: string;
  status?: Static<typeof PhoneRegisterStatusSchema>;
  startAssignedAt?: Micros;
  endAssignedAt?: Micros;
}

/** The project's phones, optionally those bound to an agent, in a status or assigned in a window. */
export async function listPhones(
  db: Db,
  projectId: string,
  request: PageRequest,
  filter: PhoneFilter,
): Promise<Page<PhoneView>> {
  let query = phonesOf(db, projectId);
  const versionsOfAgent = (agentId: string) =>
    db.selectFrom('agent_versions').select('id').where('agent_id', '=', agentId);
  if (filter.inboundAgentId !== undefined) {
    query = query.where('inbound_version_id', 'in', versionsOfAgent(filter.inboundAgentId));
  }
  if (filter.outboundAgentId !== undefined) {
    query = query.where('outbound_version_id', 'in', versionsOfAgent(filter.outboundAgentId));
  }
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.startAssignedAt !== undefined) {
    query = query.where('assigned_at', '>=', dbInstant(db, filter.startAssignedAt));
  }
  if (filter.endAssignedAt !== undefined) query = query.where('assigned_at', '<=', dbInstant(db, filter.endAssignedAt));
  const page = await paginate(
    request,
    {
      items: filteredListing(db, query),
      createdDateOf: async (id) => (await findPhone(db, projectId, id))?.created_date,
      noun: 'Phone',
    },
    (row) => row,
  );
  const versions = await agentsOfBindings(db, page.data);
  return { ...page, data: page.data.map((row) => toPhoneView(row, versions)) };
}

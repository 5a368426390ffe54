import { ApiError, errors, RequestValidationError } from '../../kernel/errors.js';
import { findVersion, findVersions, updateAgent } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { dbInstant } from '../../store/dialect.js';
import { withRetries } from '../../store/failures.js';
import {
  deletePhone,
  findPhone,
  findPhoneByNumber,
  insertPhone,
  phonesBoundToAgent,
  phonesOf,
  updatePhone,
  type Direction,
  type PhoneRow,
} from '../../store/phones-repo.js';
import { existingAgent } from '../agents/agents.js';
import { paginate } from '../paginate.js';
import { filteredListing } from '../../store/keyset.js';
import type { Page, PageRequest } from '../../kernel/pagination.js';
import { formatInstant, nowMicros, type Micros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import { isE164, isSipIdentifier } from './phone-numbers.js';

type Encryption = 'disable' | 'allow' | 'require';
export type PhoneStatus = 'reserved' | 'pending_verification' | 'assigned' | 'released' | 'finished';

/** The trunk as imported; the password never leaves the service except in a dial job. */
export interface SipConfig {
  termination_uri: string | null;
  username: string | null;
  password: string | null;
  inbound_media_encryption: Encryption;
  outbound_media_encryption: Encryption;
  allowed_addresses: string[] | null;
}

export interface ImportPhoneRequest {
  phone_number: string;
  nickname?: string | null;
  inbound_config?: { media_encryption?: Encryption; allowed_addresses?: string[] | null } | null;
  outbound_config?: {
    termination_uri: string;
    username?: string | null;
    password?: string | null;
    media_encryption?: Encryption;
  } | null;
}

export interface PhoneFilter {
  inboundAgentId?: string;
  outboundAgentId?: string;
  status?: PhoneStatus;
  startAssignedAt?: Micros;
  endAssignedAt?: Micros;
}

/** Imports a number or SIP identifier of the customer's own trunk: assigned at once. */
export async function importPhone(db: Db, projectId: string, request: ImportPhoneRequest): Promise<PhoneView> {
  const number = request.phone_number.trim();
  if (!isE164(number) && !isSipIdentifier(number)) {
    throw new RequestValidationError([
      {
        type: 'value_error',
        loc: ['body', 'phone_number'],
        msg: 'Value error, phone_number must be an E.164 number (+34…) or a SIP identifier (user@domain)',
        input: request.phone_number,
      },
    ]);
  }
  const now = nowMicros();
  const sip: SipConfig = {
    termination_uri: request.outbound_config?.termination_uri ?? null,
    username: request.outbound_config?.username ?? null,
    password: request.outbound_config?.password ?? null,
    inbound_media_encryption: request.inbound_config?.media_encryption ?? 'allow',
    outbound_media_encryption: request.outbound_config?.media_encryption ?? 'allow',
    allowed_addresses: request.inbound_config?.allowed_addresses ?? null,
  };
  const row: PhoneRow = {
    id: newId(),
    project_id: projectId,
    number,
    created_date: now,
    nickname: request.nickname ?? null,
    telephony_provider: 'custom',
    status: 'assigned',
    assigned_at: now,
    inbound_version_id: null,
    outbound_version_id: null,
    sip_config: JSON.stringify(sip),
  };
  // A concurrent import of the same number loses on the unique index and is retried into the 409.
  await withRetries(() =>
    db.transaction().execute(async (trx) => {
      if ((await findPhoneByNumber(trx, projectId, number)) !== undefined) {
        throw new ApiError(409, 'PHONE_NUMBER_ALREADY_EXISTS', `Phone number ${number} is already in this project`);
      }
      await insertPhone(trx, row);
    }),
  );
  return toPhoneView(row, new Map());
}

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

export async function getPhone(db: Db, projectId: string, phoneId: string): Promise<PhoneView> {
  const row = await existingPhone(db, projectId, phoneId);
  return toPhoneView(row, await agentsOfBindings(db, [row]));
}

/**
 * Renames a phone and/or binds versions to it. Binding a version publishes it; an agent has one
 * published version, so binding another version of an agent that is published on another
 * phone is refused (409). A null version id unbinds that direction.
 */
export async function updatePhoneSettings(
  db: Db,
  projectId: string,
  phoneId: string,
  changes: { nickname?: string | null; inbound_version_id?: string | null; outbound_version_id?: string | null },
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

/** Releases an imported number: it is deleted at once. Calls made with it keep its id. */
export async function releasePhone(db: Db, projectId: string, phoneId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const phone = await existingPhone(trx, projectId, phoneId);
    await deletePhone(trx, phone.id);
  });
}

export async function existingPhone(db: Db, projectId: string, phoneId: string): Promise<PhoneRow> {
  const row = await findPhone(db, projectId, phoneId);
  if (row === undefined) throw errors.phoneNumberNotFound(phoneId);
  return row;
}

async function publishOnPhone(
  trx: Db,
  projectId: string,
  phoneId: string,
  versionId: string,
  direction: Direction,
): Promise<void> {
  const version = await findVersion(trx, projectId, versionId);
  if (version === undefined) throw errors.agentVersionNotFound(versionId);
  if (version.is_draft === 1) throw errors.draftNotPublishable();
  const agent = await existingAgent(trx, projectId, version.agent_id);
  if (agent.published_version_id !== null && agent.published_version_id !== version.id) {
    const elsewhere = await phonesBoundToAgent(trx, agent.id, phoneId);
    if (elsewhere.length > 0) {
      throw new ApiError(
        409,
        'AGENT_ALREADY_PUBLISHED',
        `Agent ${agent.id} already has version ${agent.published_version_id} published on phone ${elsewhere[0]?.id} (${direction} binding refused): an agent has one published version at a time`,
      );
    }
  }
  await updateAgent(trx, agent.id, { published_version_id: version.id, modified_at: nowMicros() });
}

/** version id → agent id, for the versions the given phones are bound to. */
async function agentsOfBindings(db: Db, phones: PhoneRow[]): Promise<Map<string, string>> {
  const ids = phones.flatMap((p) => [p.inbound_version_id, p.outbound_version_id]).filter((id) => id !== null);
  const versions = await findVersions(db, [...new Set(ids)]);
  return new Map([...versions.values()].map((v) => [v.id, v.agent_id]));
}

export type PhoneView = ReturnType<typeof toPhoneView>;

/** PhoneRegisterResponseSchema, keys in the reference's order. */
function toPhoneView(row: PhoneRow, agentOfVersion: Map<string, string>) {
  const sip = row.sip_config === null ? null : (JSON.parse(row.sip_config) as SipConfig);
  const agentOf = (versionId: string | null) => (versionId === null ? null : (agentOfVersion.get(versionId) ?? null));
  return {
    id: row.id,
    nickname: row.nickname,
    number: row.number,
    telephony_provider: row.telephony_provider as 'netelip' | 'custom',
    status: row.status as PhoneStatus,
    released_at: null,
    scheduled_release_at: null,
    assigned_at: row.assigned_at === null ? null : formatInstant(row.assigned_at),
    inbound_agent_id: agentOf(row.inbound_version_id),
    outbound_agent_id: agentOf(row.outbound_version_id),
    sip_config:
      sip === null
        ? null
        : {
            termination_uri: sip.termination_uri,
            username: sip.username,
            inbound_media_encryption: sip.inbound_media_encryption,
            outbound_media_encryption: sip.outbound_media_encryption,
            allowed_addresses: sip.allowed_addresses,
          },
    checkout_url: null,
    reservation_expires_at: null,
    // Diga maps Spanish landline prefixes to regions; this service has no such table yet.
    region_codes: [] as string[],
  };
}

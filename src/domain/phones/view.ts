import type { Static } from '@sinclair/typebox';
import type { PhoneRegisterResponseSchema } from '../../contract/phones.js';
import type { PhoneRow } from '../../store/phones-repo.js';
import { formatInstant } from '../../kernel/time.js';
import type { SipConfig } from './sip-config.js';

export type PhoneView = Static<typeof PhoneRegisterResponseSchema>;

/** PhoneRegisterResponseSchema, keys in the reference's order; `agentOfVersion` maps bound versions to agents. */
export function toPhoneView(row: PhoneRow, agentOfVersion: Map<string, string>): PhoneView {
  const sip = row.sip_config === null ? null : (JSON.parse(row.sip_config) as SipConfig);
  const agentOf = (versionId: string | null) => (versionId === null ? null : (agentOfVersion.get(versionId) ?? null));
  return {
    id: row.id,
    nickname: row.nickname,
    number: row.number,
    telephony_provider: row.telephony_provider as PhoneView['telephony_provider'],
    status: row.status as PhoneView['status'],
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
    region_codes: [],
  };
}

import type { Static } from '@sinclair/typebox';
import type { ImportPhoneRequestSchema } from '../../contract/phones.js';
import type { Db } from '../../store/database.js';
import { withRetries } from '../../store/failures.js';
import {
  findPhoneByNumber,
  findPhoneHolding,
  insertPhoneIfNumberFree,
  type PhoneRow,
} from '../../store/phones-repo.js';
import { phoneRoutingKey } from '../../kernel/phone-routing-key.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import { phoneErrors } from './errors.js';
import { isE164, isSipIdentifier } from './phone-numbers.js';
import type { SipConfig } from './sip-config.js';
import { toPhoneView, type PhoneView } from './view.js';

export type ImportPhoneRequest = Static<typeof ImportPhoneRequestSchema>;

/**
 * Imports a number or SIP identifier of the customer's own trunk: assigned at once. A number
 * routes to one project, so one another project holds (in any spelling of it) is a 409 until
 * released there.
 */
export async function importPhone(db: Db, projectId: string, request: ImportPhoneRequest): Promise<PhoneView> {
  const number = request.phone_number.trim();
  if (!isE164(number) && !isSipIdentifier(number)) throw phoneErrors.notANumber(request.phone_number);
  const now = nowMicros();
  const row: PhoneRow = {
    id: newId(),
    project_id: projectId,
    number,
    routing_key: phoneRoutingKey(number),
    created_date: now,
    nickname: request.nickname ?? null,
    telephony_provider: 'custom',
    status: 'assigned',
    assigned_at: now,
    inbound_version_id: null,
    outbound_version_id: null,
    sip_config: JSON.stringify(sipConfigOf(request)),
  };
  // The unique index decides between concurrent imports; the loser learns who holds the number.
  await withRetries(() =>
    db.transaction().execute(async (trx) => {
      if (await insertPhoneIfNumberFree(trx, row)) return;
      const holder =
        (await findPhoneHolding(trx, row.routing_key)) ?? (await findPhoneByNumber(trx, projectId, number));
      throw holder === undefined || holder.project_id === projectId
        ? phoneErrors.alreadyInProject(number)
        : phoneErrors.heldByAnotherProject();
    }),
  );
  return toPhoneView(row, new Map());
}

/** The trunk the request describes; encryption is allowed unless it says otherwise. */
function sipConfigOf(request: ImportPhoneRequest): SipConfig {
  return {
    termination_uri: request.outbound_config?.termination_uri ?? null,
    username: request.outbound_config?.username ?? null,
    password: request.outbound_config?.password ?? null,
    inbound_media_encryption: request.inbound_config?.media_encryption ?? 'allow',
    outbound_media_encryption: request.outbound_config?.media_encryption ?? 'allow',
    allowed_addresses: request.inbound_config?.allowed_addresses ?? null,
  };
}

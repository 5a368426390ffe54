import type { Static } from '@sinclair/typebox';
import type { ImportPhoneRequestSchema } from '../../contract/phones.js';
import type { Db } from '../../store/database.js';
import { withRetries } from '../../store/failures.js';
import { findPhoneByNumber, insertPhone, type PhoneRow } from '../../store/phones-repo.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import { phoneErrors } from './errors.js';
import { isE164, isSipIdentifier } from './phone-numbers.js';
import type { SipConfig } from './sip-config.js';
import { toPhoneView, type PhoneView } from './view.js';

export type ImportPhoneRequest = Static<typeof ImportPhoneRequestSchema>;

/** Imports a number or SIP identifier of the customer's own trunk: assigned at once. */
export async function importPhone(db: Db, projectId: string, request: ImportPhoneRequest): Promise<PhoneView> {
  const number = request.phone_number.trim();
  if (!isE164(number) && !isSipIdentifier(number)) throw phoneErrors.notANumber(request.phone_number);
  const now = nowMicros();
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
    sip_config: JSON.stringify(sipConfigOf(request)),
  };
  // A concurrent import of the same number loses on the unique index and is retried into the 409.
  await withRetries(() =>
    db.transaction().execute(async (trx) => {
      if ((await findPhoneByNumber(trx, projectId, number)) !== undefined) throw phoneErrors.alreadyInProject(number);
      await insertPhone(trx, row);
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

import { createHash } from 'node:crypto';
import { RequestValidationError } from '../../kernel/errors.js';
import { findVersion, type AgentVersionRow } from '../../store/agents-repo.js';
import type { Db } from '../../store/database.js';
import { insertDialJob } from '../../store/dial-jobs-repo.js';
import { withRetries } from '../../store/failures.js';
import { findIdempotencyKey, saveIdempotencyKey } from '../../store/idempotency-repo.js';
import { findPhone, findPhoneByNumber, type PhoneRow } from '../../store/phones-repo.js';
import type { AgentConfig } from '../agents/agent-config.js';
import { agentErrors } from '../agents/errors.js';
import { dialSettingsOf, type DialingOptions } from '../dialing/settings.js';
import { checkDestination } from '../phones/phone-numbers.js';
import { phoneErrors } from '../phones/errors.js';
import type { SipConfig } from '../phones/sip-config.js';
import { nowMicros } from '../../kernel/time.js';
import { canonicalUuid, newId } from '../../kernel/uuid.js';
import { stableStringify, type CallEvent } from './events.js';
import { recordEvents } from './ingest.js';
import { callErrors } from './errors.js';

/** CallRequest of Diga's reference. */
export interface CallRequest {
  from_number: string;
  to_number: string;
  dynamic_variables?: Record<string, unknown> | null;
  agent_version_id?: string | null;
}

/** What a runtime is given to place a call (a dial job's payload). */
export interface DialInstructions {
  call_id: string;
  project_id: string;
  from_number: string;
  to_number: string;
  phone_register_id: string;
  agent_id: string;
  agent_version_id: string;
  /** The agent's variables overridden by the call's. */
  dynamic_variables: Record<string, unknown>;
  /** The version's configuration, as the customer gave it. */
  agent: AgentConfig;
  sip: { termination_uri: string; username: string | null; password: string | null; media_encryption: string };
}

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_WINDOW_MICROS = 24 * 3600 * 1_000_000;

/**
 * Places an outbound call: the call (status `dialing`, through the same call.created the runtime
 * would report), its contact and its dial job are written in one transaction, so a call exists
 * exactly when a runtime can be asked to dial it. With an Idempotency-Key, a retry of the same
 * request returns the first call (`replayed`) and the same key with another body is a 422.
 */
export async function placeCall(
  db: Db,
  projectId: string,
  request: CallRequest,
  options: { idempotencyKey?: string; dialing: DialingOptions },
): Promise<{ callId: string; replayed: boolean }> {
  const requestHash = createHash('sha256').update(stableStringify(request)).digest('hex');
  // A concurrent request with the same key loses on its primary key and is retried into a replay.
  return withRetries(() =>
    db.transaction().execute(async (trx) => {
      const now = nowMicros();
      const key = options.idempotencyKey;
      if (key !== undefined) {
        const earlier = await findIdempotencyKey(trx, projectId, key, now - IDEMPOTENCY_WINDOW_MICROS);
        if (earlier !== undefined) {
          if (earlier.request_hash !== requestHash) throw idempotencyKeyReused(key);
          return { callId: earlier.call_id, replayed: true };
        }
      }
      const instructions = await resolveCall(trx, projectId, request, options.dialing);
      const event: CallEvent = {
        eventId: newId(),
        projectId,
        callId: instructions.call_id,
        occurredAt: now,
        type: 'call.created',
        data: {
          type: 'outbound',
          contact: { identifier: instructions.to_number, contact_type: 'call' },
          agent_id: instructions.agent_id,
          agent_version_id: instructions.agent_version_id,
          phone_register_id: instructions.phone_register_id,
          dynamic_variables: request.dynamic_variables ?? null,
        },
      };
      await recordEvents(trx, [event]);
      await insertDialJob(trx, {
        call_id: instructions.call_id,
        project_id: projectId,
        state: 'queued',
        payload: JSON.stringify(instructions),
        attempts: 0,
        lease_token: null,
        lease_until: null,
        claimed_by: null,
        created_date: now,
        confirmed_at: null,
      });
      if (key !== undefined) {
        await saveIdempotencyKey(
          trx,
          {
            project_id: projectId,
            key,
            request_hash: requestHash,
            call_id: instructions.call_id,
            created_date: now,
          },
          now - IDEMPOTENCY_WINDOW_MICROS,
        );
      }
      return { callId: instructions.call_id, replayed: false };
    }),
  );
}

/** Checks the request against the project's phones, agents and settings; what to dial. */
async function resolveCall(
  trx: Db,
  projectId: string,
  request: CallRequest,
  dialing: DialingOptions,
): Promise<DialInstructions> {
  const settings = (await dialSettingsOf(trx, [projectId], dialing)).get(projectId);
  const to = request.to_number.trim();
  const destination = checkDestination(to, settings?.allowedCountryCodes ?? dialing.allowedCountryCodes);
  if (destination === 'not_e164') {
    throw callErrors.notE164(request.to_number);
  }
  if (destination === 'country_not_allowed') {
    throw callErrors.countryNotAllowed(to);
  }

  const phone = await findFromPhone(trx, projectId, request.from_number);
  const sip = JSON.parse(phone.sip_config ?? '{}') as Partial<SipConfig>;
  if (!sip.termination_uri) {
    throw callErrors.sipConfigNotSet();
  }
  const version = await agentVersionFor(trx, projectId, phone, request.agent_version_id ?? null);
  const agent = JSON.parse(version.config) as AgentConfig;
  return {
    call_id: newId(),
    project_id: projectId,
    from_number: phone.number,
    to_number: to,
    phone_register_id: phone.id,
    agent_id: version.agent_id,
    agent_version_id: version.id,
    dynamic_variables: {
      ...((agent.dynamic_variables as Record<string, unknown> | null) ?? {}),
      ...(request.dynamic_variables ?? {}),
    },
    agent,
    sip: {
      termination_uri: sip.termination_uri,
      username: sip.username ?? null,
      password: sip.password ?? null,
      media_encryption: sip.outbound_media_encryption ?? 'allow',
    },
  };
}

/** `from_number` is one of the project's numbers in E.164, or a phone's id. */
async function findFromPhone(trx: Db, projectId: string, fromNumber: string): Promise<PhoneRow> {
  const id = canonicalUuid(fromNumber);
  const phone =
    id === undefined ? await findPhoneByNumber(trx, projectId, fromNumber.trim()) : await findPhone(trx, projectId, id);
  if (phone === undefined) throw phoneErrors.notFound(fromNumber);
  return phone;
}

/** The version asked for, else the one published on the phone's outbound binding. */
async function agentVersionFor(
  trx: Db,
  projectId: string,
  phone: PhoneRow,
  requested: string | null,
): Promise<AgentVersionRow> {
  if (requested !== null) {
    const id = canonicalUuid(requested) as string;
    const version = await findVersion(trx, projectId, id);
    if (version === undefined) throw agentErrors.versionNotFound(id);
    if (version.is_draft === 1) {
      throw callErrors.versionNotLaunched(id);
    }
    return version;
  }
  const bound =
    phone.outbound_version_id === null ? undefined : await findVersion(trx, projectId, phone.outbound_version_id);
  if (bound === undefined) {
    throw callErrors.noOutboundAgent(phone.number);
  }
  return bound;
}

function idempotencyKeyReused(key: string): RequestValidationError {
  return new RequestValidationError([
    {
      type: 'idempotency_key_reused',
      loc: ['header', 'idempotency-key'],
      msg: `Idempotency-Key ${key} was already used with a different request body`,
      input: key,
    },
  ]);
}

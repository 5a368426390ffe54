import { RequestValidationError, type ValidationIssue } from '../../kernel/errors.js';
import type { Db } from '../../store/database.js';
import { existingProjectIds } from '../../store/projects-repo.js';
import {
  eventKey,
  findCallOwners,
  findEventPayloads,
  insertEvents,
  lifecycleEventsOf,
} from '../../store/call-events-repo.js';
import { redateContact, upsertContact } from '../../store/contacts-repo.js';
import { findCallRow, upsertCall, type CallRow } from '../../store/calls-repo.js';
import { enqueueStatusChanged, statusSubscribers, type StatusSubscribers } from '../webhooks/status-events.js';
import { insertMessages } from '../../store/messages-repo.js';
import { lockCalls } from '../../store/locks.js';
import { findDeletedCalls } from '../../store/deleted-calls-repo.js';
import { withRetries } from '../../store/failures.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';
import type { CallStatus } from '../../contract/calls.js';
import type { RuntimeEvent } from '../../contract/events.js';
import { renderCallView } from '../../contract/call-response.js';
import { canonicalEvent, eventFromPayload, eventPayload, sameEventContent, type CallEvent } from './events.js';
import { renderContactCalls } from './call-views.js';
import { foldCallEvents, statusRank, type CallState } from './fold.js';
import { callErrors } from './errors.js';

export type EventOutcome = 'accepted' | 'duplicate' | 'discarded';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** Events about calls a customer has deleted: acknowledged, not stored. */
  discarded: number;
  results: { event_id: string; status: EventOutcome }[];
}

/**
 * Records a batch of runtime events and brings the calls they touch up to date, all in one
 * transaction: the batch is applied whole or not at all. A replayed event (same call, event_id
 * and content) is a no-op; the same event_id with other content for the same call rejects the
 * batch (an event id is unique within its call). Events about a call the customer deleted are
 * acknowledged as `discarded` and not stored. Each touched call is re-folded from its full event
 * set, so its state never depends on arrival order; the calls are locked first, so concurrent
 * batches for one call (other processes) apply in turn.
 */
export async function ingestEvents(db: Db, batch: readonly RuntimeEvent[]): Promise<IngestResult> {
  const events = batch.map(canonicalEvent);
  return withRetries(() => db.transaction().execute((trx) => recordEvents(trx, events)));
}

/** ingestEvents' work inside the caller's transaction (placing a call records its call.created). */
export async function recordEvents(trx: Db, events: CallEvent[]): Promise<IngestResult> {
  const payloads = events.map(eventPayload);
  await lockCalls(trx, [...new Set(events.map((e) => e.callId))]);
  await assertBatchConsistent(trx, events);
  const deleted = await findDeletedCalls(trx, [...new Set(events.map((e) => e.callId))]);

  const stored = await findEventPayloads(trx, events);
  const seenInBatch = new Map<string, string>();
  const fresh: CallEvent[] = [];
  const freshPayloads: string[] = [];
  const statuses = events.map((event, index): EventOutcome => {
    if (deleted.has(event.callId)) return 'discarded';
    const payload = payloads[index] as string;
    const key = eventKey(event.callId, event.eventId);
    const earlier = stored.get(key) ?? seenInBatch.get(key);
    if (earlier !== undefined) {
      if (!sameEventContent(earlier, payload)) throw callErrors.eventConflict(event.eventId, index);
      return 'duplicate';
    }
    seenInBatch.set(key, payload);
    fresh.push(event);
    freshPayloads.push(payload);
    return 'accepted';
  });

  const receivedAt = nowMicros();
  await insertEvents(
    trx,
    fresh.map((e, i) => ({
      event_id: e.eventId,
      project_id: e.projectId,
      call_id: e.callId,
      type: e.type,
      occurred_at: e.occurredAt,
      payload: freshPayloads[i] as string,
      received_at: receivedAt,
    })),
  );
  await insertMessages(
    trx,
    fresh.flatMap((e) =>
      e.type === 'call.message'
        ? [
            {
              id: e.eventId,
              project_id: e.projectId,
              call_id: e.callId,
              role: e.data.role,
              content: e.data.content,
              tool_call: e.data.tool_call === null ? null : JSON.stringify(e.data.tool_call),
              created_date: e.occurredAt,
            },
          ]
        : [],
    ),
  );

  const touched = new Set(fresh.filter((e) => e.type !== 'call.message').map((e) => e.callId));
  const subscribers = statusSubscribers(trx);
  for (const callId of touched) await refreshCall(trx, callId, receivedAt, subscribers);

  const count = (outcome: EventOutcome) => statuses.filter((s) => s === outcome).length;
  return {
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    discarded: count('discarded'),
    results: events.map((e, i) => ({ event_id: e.eventId, status: statuses[i] as EventOutcome })),
  };
}

/**
 * Rejects the batch (nothing applied) when an event names a project that does not exist, or
 * a call that another project already owns: a call id belongs to one project forever.
 */
async function assertBatchConsistent(trx: Db, events: CallEvent[]): Promise<void> {
  const projects = await existingProjectIds(trx, [...new Set(events.map((e) => e.projectId))]);
  const owners = await findCallOwners(trx, [...new Set(events.map((e) => e.callId))]);
  const issues: ValidationIssue[] = [];
  events.forEach((event, index) => {
    if (!projects.has(event.projectId)) {
      issues.push({
        type: 'project_not_found',
        loc: ['body', 'events', index, 'project_id'],
        msg: `Project ${event.projectId} not found`,
        input: event.projectId,
      });
      return;
    }
    const owner = owners.get(event.callId);
    if (owner === undefined) owners.set(event.callId, event.projectId);
    else if (owner !== event.projectId) {
      issues.push({
        type: 'call_project_mismatch',
        loc: ['body', 'events', index, 'call_id'],
        msg: `Call ${event.callId} belongs to another project`,
        input: event.callId,
      });
    }
  });
  if (issues.length > 0) throw new RequestValidationError(issues);
}

/** Re-folds one call from its stored lifecycle events and writes the projection. */
async function refreshCall(trx: Db, callId: string, now: number, subscribers: StatusSubscribers): Promise<void> {
  const rows = await lifecycleEventsOf(trx, callId);
  const events = rows.map((r) => eventFromPayload(r.event_id, r.payload));
  const history: CallState[] = [];
  const state = foldCallEvents(events, (snapshot) => history.push(snapshot));
  if (state === undefined) return; // not created yet: its events wait in call_events

  const { contact } = state.created;
  const newContactId = newId();
  const storedContact = await upsertContact(
    trx,
    { projectId: state.projectId, contactType: contact.contact_type, identifier: contact.identifier },
    state.createdDate,
    newContactId,
  );
  // Every status the call reaches beyond the stored one (the first included) is counted and
  // announced to webhooks, in order: a whole lifecycle reported in one batch is three changes.
  const previous = await findCallRow(trx, state.id);
  const reached = history.filter(
    (s) => previous === undefined || statusRank(s.status) > statusRank(previous.status as CallStatus),
  );
  const sequence = previous?.status_sequence ?? 0;
  const call: CallRow = {
    id: state.id,
    project_id: state.projectId,
    status: state.status,
    type: state.created.type,
    contact_id: storedContact.id,
    agent_id: state.created.agent_id,
    agent_version_id: state.created.agent_version_id,
    phone_register_id: state.created.phone_register_id,
    recording_url: state.recordingUrl,
    start_time: state.startTime,
    end_time: state.endTime,
    duration: state.duration,
    end_reason: state.endReason,
    dynamic_variables:
      state.created.dynamic_variables === null ? null : JSON.stringify(state.created.dynamic_variables),
    created_date: state.createdDate,
    updated_at: now,
    status_sequence: sequence + reached.length,
  };
  const view = renderCallView({
    ...call,
    contact_created_date: storedContact.created_date,
    contact_identifier: contact.identifier,
    contact_type: contact.contact_type,
  });
  await upsertCall(trx, call, view, previous);
  // This call is its contact's earliest sighting, so it may have moved the contact's date back:
  // the views of the contact's other calls show that date. It cannot have when the contact is
  // new (no other calls), or when this call was already stored under it with this date (a
  // contact's date is never later than any of its calls', so it already was this one).
  const contactMoved =
    storedContact.created_date === state.createdDate &&
    storedContact.id !== newContactId &&
    !(previous?.contact_id === storedContact.id && previous.created_date === state.createdDate);
  if (contactMoved) await renderContactCalls(trx, state.projectId, storedContact.id);
  if (previous !== undefined && previous.contact_id !== storedContact.id) {
    await redateContact(trx, state.projectId, previous.contact_id);
    await renderContactCalls(trx, state.projectId, previous.contact_id);
  }
  if (reached.length > 0) {
    await enqueueStatusChanged(trx, subscribers, state.projectId, state.id, sequence, reached, now);
  }
}

import { CALL_OUTCOMES, type CallStatus } from '../../contract/calls.js';
import type { Micros } from '../../kernel/time.js';
import type { CallEvent, CreatedData } from './events.js';

/** A call's state as the lifecycle events determine it (everything but the contact's row). */
export interface CallState {
  id: string;
  projectId: string;
  created: CreatedData;
  createdDate: Micros;
  status: CallStatus;
  startTime: Micros | null;
  endTime: Micros | null;
  duration: number | null;
  endReason: string | null;
  recordingUrl: string | null;
}

export const TERMINAL: ReadonlySet<CallStatus> = new Set(CALL_OUTCOMES);

/** How far along a status is: statuses only ever move to a higher rank. */
export function statusRank(status: CallStatus): number {
  return status === 'dialing' ? 0 : status === 'in_progress' ? 1 : 2;
}

/** Delivery order: by occurred_at, ties broken by event_id so that the order is total. */
export function compareEvents(a: CallEvent, b: CallEvent): number {
  return a.occurredAt - b.occurredAt || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);
}

/**
 * Folds the lifecycle events of one call into its state, as in-order delivery would: the
 * events are sorted by delivery order, so any permutation, duplication or batching of the
 * same set folds to the same state. Undefined until a `call.created` is among them; events
 * that came before it wait and are applied once it exists. Status only moves forward and
 * terminal states are absorbing: a second `call.ended`, or a `call.answered` after the end,
 * changes nothing. Recordings may arrive at any time; the last one reported wins. `onStatus`
 * sees a snapshot of the state as each status is reached, in order: the call's status history.
 */
export function foldCallEvents(
  events: readonly CallEvent[],
  onStatus?: (snapshot: CallState) => void,
): CallState | undefined {
  const ordered = [...events].sort(compareEvents);
  const created = ordered.find((e) => e.type === 'call.created');
  if (created === undefined || created.type !== 'call.created') return undefined;

  const state: CallState = {
    id: created.callId,
    projectId: created.projectId,
    created: created.data,
    createdDate: created.occurredAt,
    status: 'dialing',
    startTime: null,
    endTime: null,
    duration: null,
    endReason: null,
    recordingUrl: null,
  };
  onStatus?.({ ...state });
  for (const event of ordered) {
    switch (event.type) {
      case 'call.answered':
        if (state.status === 'dialing') {
          state.status = 'in_progress';
          state.startTime = event.occurredAt;
          onStatus?.({ ...state });
        }
        break;
      case 'call.ended':
        if (!TERMINAL.has(state.status)) {
          state.status = event.data.outcome;
          state.endTime = event.occurredAt;
          state.endReason = event.data.end_reason;
          state.duration = durationSeconds(state.startTime, event.occurredAt);
          onStatus?.({ ...state });
        }
        break;
      case 'call.recording_ready':
        state.recordingUrl = event.data.recording_url;
        break;
      default:
        break;
    }
  }
  return state;
}

/**
 * The longest duration a call reports: `calls.duration` is a 32-bit integer on PostgreSQL, and
 * accepted instants may lie centuries apart, so a longer span is shown as this rather than fail.
 */
const MAX_DURATION_SECONDS = 2 ** 31 - 1;

/** Whole seconds between answer and end; 0 for a call that was never answered. */
function durationSeconds(start: Micros | null, end: Micros): number {
  if (start === null) return 0;
  return Math.min(MAX_DURATION_SECONDS, Math.max(0, Math.floor((end - start) / 1_000_000)));
}

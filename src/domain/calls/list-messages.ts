import { ApiError, errors } from '../../kernel/errors.js';
import type { Db } from '../../store/database.js';
import { findCallCreatedDate } from '../../store/calls-repo.js';
import { fetchWindow } from '../../store/keyset.js';
import { countMessages, findMessageCreatedDate, messagesOfCall } from '../../store/messages-repo.js';
import type { CallMessagesTable } from '../../store/schema.js';
import {
  assertValidPageRequest,
  finishPage,
  positionOf,
  type Page,
  type PageRequest,
} from '../../kernel/pagination.js';
import { formatInstant } from '../../kernel/time.js';
import type { StoredToolCall } from '../../contract/events.js';

/** Diga's MessageResponse. */
export interface MessageView {
  id: string;
  created_date: string;
  role: 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_call: StoredToolCall | null;
}

const LISTING_KEY = { createdDate: 'created_date', id: 'id' };

/**
 * A page of a call's transcript, in the order the messages were spoken: (occurred_at, event
 * id), the order the call's events are folded in. CALL_NOT_FOUND when the call is not the
 * project's; NO_MESSAGES_FOR_CALL when it has no message at all.
 */
export async function listMessages(
  db: Db,
  projectId: string,
  callId: string,
  request: PageRequest,
): Promise<Page<MessageView>> {
  assertValidPageRequest(request);
  if ((await findCallCreatedDate(db, projectId, callId)) === undefined) throw errors.callNotFound(callId);

  const position = await positionOf(
    request,
    (id) => findMessageCreatedDate(db, projectId, callId, id),
    (id, direction) => `Message ${id} given in '${direction}' was not found in this call`,
  );
  const query = messagesOfCall(db, projectId, callId);
  const { rows, hasMore } = await fetchWindow(db, query, LISTING_KEY, {
    order: request.order,
    limit: request.limit,
    position,
  });
  // Counted only when needed: for page numbers, or to tell an empty page from an empty call.
  const total =
    request.page !== undefined || rows.length === 0 ? await countMessages(db, projectId, callId) : undefined;
  if (total === 0) throw noMessages(callId);
  return finishPage(rows.map(toMessageView), hasMore, request, total);
}

const noMessages = (callId: string) =>
  new ApiError(404, 'NO_MESSAGES_FOR_CALL', `No messages found for call ${callId}`);

function toMessageView(
  row: Pick<CallMessagesTable, 'id' | 'role' | 'content' | 'tool_call' | 'created_date'>,
): MessageView {
  return {
    id: row.id,
    created_date: formatInstant(row.created_date),
    role: row.role as MessageView['role'],
    content: row.content,
    tool_call: row.tool_call === null ? null : (JSON.parse(row.tool_call) as StoredToolCall),
  };
}

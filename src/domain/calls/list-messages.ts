import type { Db } from '../../store/database.js';
import { findCallCreatedDate } from '../../store/calls-repo.js';
import { filteredListing } from '../../store/keyset.js';
import { findMessageCreatedDate, messagesOfCall } from '../../store/messages-repo.js';
import type { CallMessagesTable } from '../../store/schema.js';
import { assertValidPageRequest, type Page, type PageRequest } from '../../kernel/pagination.js';
import { paginate } from '../paginate.js';
import { formatInstant } from '../../kernel/time.js';
import type { StoredToolCall } from '../../contract/events.js';
import { callErrors } from './errors.js';

/** Diga's MessageResponse. */
export interface MessageView {
  id: string;
  created_date: string;
  role: 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_call: StoredToolCall | null;
}

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
  // An invalid combination of pagination parameters is reported before an unknown call.
  assertValidPageRequest(request);
  if ((await findCallCreatedDate(db, projectId, callId)) === undefined) throw callErrors.notFound(callId);

  const page = await paginate(
    request,
    {
      items: filteredListing(db, messagesOfCall(db, projectId, callId)),
      createdDateOf: (id) => findMessageCreatedDate(db, projectId, callId, id),
      noun: 'Message',
      within: 'in this call',
    },
    toMessageView,
  );
  if (page.data.length === 0 && hasNoMessages(page, request)) throw callErrors.noMessages(callId);
  return page;
}

/**
 * Whether an empty page means the call has no message at all: page mode counted none, and a
 * first page is empty only then (a cursor is one of the call's messages, so it has one).
 */
function hasNoMessages(page: Page<MessageView>, request: PageRequest): boolean {
  if (page.total_pages !== null) return page.total_pages === 0;
  return request.after === undefined && request.before === undefined;
}

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

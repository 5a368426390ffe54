import type { Db } from './database.js';
import { withDbInstants } from './dialect.js';
import type { CallMessagesTable } from './schema.js';
import { chunks } from './chunks.js';

export type CallMessageRow = CallMessagesTable;

export async function insertMessages(db: Db, rows: CallMessageRow[]): Promise<void> {
  const stored = rows.map((row) => withDbInstants(db, row, ['created_date']));
  for (const batch of chunks(stored, 100)) await db.insertInto('call_messages').values(batch).execute();
}

/** A call's transcript messages, not yet ordered or limited. */
export function messagesOfCall(db: Db, projectId: string, callId: string) {
  return db
    .selectFrom('call_messages')
    .select(['id', 'role', 'content', 'tool_call', 'created_date'])
    .where('call_id', '=', callId)
    .where('project_id', '=', projectId);
}

/** When a message of this call was spoken: the position its id stands for as a cursor. */
export async function findMessageCreatedDate(
  db: Db,
  projectId: string,
  callId: string,
  messageId: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('call_messages')
    .select('created_date')
    .where('id', '=', messageId)
    .where('call_id', '=', callId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row?.created_date;
}

export async function deleteMessagesOfCalls(db: Db, callIds: string[]): Promise<void> {
  for (const ids of chunks(callIds)) await db.deleteFrom('call_messages').where('call_id', 'in', ids).execute();
}

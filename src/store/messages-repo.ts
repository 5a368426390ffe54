import type { Db } from './database.js';
import type { CallMessagesTable } from './schema.js';
import { chunks } from './call-events-repo.js';

export type CallMessageRow = CallMessagesTable;

export async function insertMessages(db: Db, rows: CallMessageRow[]): Promise<void> {
  for (const batch of chunks(rows, 100)) await db.insertInto('call_messages').values(batch).execute();
}

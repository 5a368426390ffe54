import type { Db } from './database.js';
import { withDbInstants } from './dialect.js';
import type { CallMessagesTable } from './schema.js';
import { chunks } from './chunks.js';

export type CallMessageRow = CallMessagesTable;

export async function insertMessages(db: Db, rows: CallMessageRow[]): Promise<void> {
  const stored = rows.map((row) => withDbInstants(db, row, ['created_date']));
  for (const batch of chunks(stored, 100)) await db.insertInto('call_messages').values(batch).execute();
}

import type { Db } from './database.js';
import { chunks } from './chunks.js';
import { dbInstant } from './dialect.js';

export async function insertDeletedCalls(db: Db, projectId: string, callIds: string[], at: number): Promise<void> {
  for (const ids of chunks(callIds, 100)) {
    await db
      .insertInto('deleted_calls')
      .values(ids.map((id) => ({ id, project_id: projectId, deleted_at: dbInstant(db, at) })))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

/** Those of `callIds` that a customer deleted. */
export async function findDeletedCalls(db: Db, callIds: string[]): Promise<Set<string>> {
  const deleted = new Set<string>();
  for (const ids of chunks(callIds)) {
    const rows = await db.selectFrom('deleted_calls').select('id').where('id', 'in', ids).execute();
    for (const row of rows) deleted.add(row.id);
  }
  return deleted;
}

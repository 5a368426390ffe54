import type { Db } from './database.js';
import { chunks } from './chunks.js';
import { withDbInstants } from './dialect.js';
import type { RecordingsTable } from './schema.js';

export type RecordingRow = RecordingsTable;

/** Records (or replaces) a call's stored audio; returns the blob key it replaced, if any. */
export async function upsertRecording(db: Db, row: RecordingRow): Promise<string | undefined> {
  const previous = await db
    .selectFrom('recordings')
    .select('blob_key')
    .where('call_id', '=', row.call_id)
    .executeTakeFirst();
  const stored = withDbInstants(db, row, ['created_date']);
  const { call_id: _callId, ...changes } = stored;
  await db
    .insertInto('recordings')
    .values(stored)
    .onConflict((oc) => oc.column('call_id').doUpdateSet(changes))
    .execute();
  return previous?.blob_key;
}

export async function findRecording(db: Db, callId: string): Promise<RecordingRow | undefined> {
  return db.selectFrom('recordings').selectAll().where('call_id', '=', callId).executeTakeFirst();
}

/** The stored recordings of those of `callIds` that belong to the project. */
export async function findProjectRecordings(db: Db, projectId: string, callIds: string[]): Promise<RecordingRow[]> {
  const rows: RecordingRow[] = [];
  for (const ids of chunks(callIds)) {
    rows.push(
      ...(await db
        .selectFrom('recordings')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('call_id', 'in', ids)
        .execute()),
    );
  }
  return rows;
}

/** Deletes the recordings rows of the calls; returns their blob keys, to delete after commit. */
export async function deleteRecordings(db: Db, callIds: string[]): Promise<string[]> {
  const keys: string[] = [];
  for (const ids of chunks(callIds)) {
    const rows = await db.deleteFrom('recordings').where('call_id', 'in', ids).returning('blob_key').execute();
    keys.push(...rows.map((r) => r.blob_key));
  }
  return keys;
}

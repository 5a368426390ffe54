import type { Db } from './database.js';
import { withDbInstants } from './dialect.js';
import type { CallsTable } from './schema.js';
import { precompiled } from './precompiled.js';

export type CallRow = CallsTable;

/** A call joined with its contact: everything CallResponse shows. */
export interface CallWithContact extends CallRow {
  contact_created_date: number;
  contact_identifier: string;
  contact_type: string;
}

export async function upsertCall(db: Db, row: CallRow): Promise<void> {
  const stored = withDbInstants(db, row, ['start_time', 'end_time', 'created_date', 'updated_at']);
  const { id: _id, ...changes } = stored;
  await db
    .insertInto('calls')
    .values(stored)
    .onConflict((oc) => oc.column('id').doUpdateSet(changes))
    .execute();
}

/** Calls with their contact's columns: the base of every query that renders CallResponses. */
export function selectCallsWithContact(db: Db) {
  return db
    .selectFrom('calls')
    .innerJoin('contacts', 'contacts.id', 'calls.contact_id')
    .selectAll('calls')
    .select([
      'contacts.created_date as contact_created_date',
      'contacts.identifier as contact_identifier',
      'contacts.contact_type as contact_type',
    ]);
}

const findCallQuery = precompiled((db: Db, projectId: string, callId: string) =>
  selectCallsWithContact(db).where('calls.id', '=', callId).where('calls.project_id', '=', projectId),
);

/** One call of one project; another project's call is as absent as a missing one. */
export async function findCall(db: Db, projectId: string, callId: string): Promise<CallWithContact | undefined> {
  const [row] = await findCallQuery(db, projectId, callId);
  return row as CallWithContact | undefined;
}

import { sql, type SelectQueryBuilder } from 'kysely';
import { chunks } from './chunks.js';
import type { Db } from './database.js';
import { dbInstant, withDbInstants } from './dialect.js';
import type { CallsTable, CallViewsTable, Database } from './schema.js';
import { precompiled } from './precompiled.js';

export type CallRow = CallsTable;

/** A call joined with its contact, stored view and stored recording: everything CallResponse shows. */
export interface CallWithContact extends CallRow {
  /** The stored view (call_views). */
  view: string;
  contact_created_date: number;
  contact_identifier: string;
  contact_type: string;
  /** The call's id when this service stores its audio (then served by signed URL), else null. */
  stored_recording: string | null;
}

const upsertCallQuery = precompiled((db: Db, row: CallRow) => {
  const { id: _id, ...changes } = row;
  return db
    .insertInto('calls')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet(changes));
});

const upsertViewQuery = precompiled((db: Db, row: CallViewsTable) =>
  db
    .insertInto('call_views')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ project_id: row.project_id, view: row.view })),
);

/** What a call's later events change: its call.created decides the rest, indexed columns among them. */
const updateCallProgressQuery = precompiled((db: Db, row: CallRow) =>
  db
    .updateTable('calls')
    .set({
      status: row.status,
      recording_url: row.recording_url,
      start_time: row.start_time,
      end_time: row.end_time,
      duration: row.duration,
      end_reason: row.end_reason,
      updated_at: row.updated_at,
      status_sequence: row.status_sequence,
    })
    .where('id', '=', row.id),
);

/** The columns only a call.created sets; every secondary index on `calls` but the status one is over them. */
const CREATED_COLUMNS = [
  'project_id',
  'type',
  'contact_id',
  'agent_id',
  'agent_version_id',
  'phone_register_id',
  'dynamic_variables',
  'created_date',
] as const satisfies readonly (keyof CallRow)[];

/**
 * Writes a call and its stored view: every call has its row in call_views, written with it.
 * `stored` is the call's row as last written, if any. When its call.created columns stand, only
 * the rest are set: SQLite rewrites an index entry for every column a statement assigns, changed
 * or not, so a full SET rewrote index pages each time a later event moved the call on
 * (docs/BENCHMARKS.md, "Narrower call updates").
 */
export async function upsertCall(db: Db, row: CallRow, view: string, stored?: CallRow): Promise<void> {
  const dbRow = withDbInstants(db, row, ['start_time', 'end_time', 'created_date', 'updated_at']);
  const createdStands = stored !== undefined && CREATED_COLUMNS.every((column) => stored[column] === row[column]);
  await (createdStands ? updateCallProgressQuery(db, dbRow) : upsertCallQuery(db, dbRow));
  await upsertViewQuery(db, { id: row.id, project_id: row.project_id, view });
}

/** Calls with their contact's columns: the base of every query that renders CallResponses. */
export function selectCallsWithContact(db: Db) {
  return withCallColumns(db.selectFrom('calls'));
}

/**
 * What a CallResponse is rendered from, for the calls `calls` selects: their columns, contact,
 * stored view and stored recording (one of each per call, so the joins never change which
 * calls are selected).
 */
export function withCallColumns<O>(calls: SelectQueryBuilder<Database, 'calls', O>) {
  return calls
    .innerJoin('contacts', 'contacts.id', 'calls.contact_id')
    .innerJoin('call_views', 'call_views.id', 'calls.id')
    .leftJoin('recordings', 'recordings.call_id', 'calls.id')
    .selectAll('calls')
    .select([
      'call_views.view',
      'contacts.created_date as contact_created_date',
      'contacts.identifier as contact_identifier',
      'contacts.contact_type as contact_type',
      'recordings.call_id as stored_recording',
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

/** What GET /v1/call/{id} serves: the stored view, and what its recording_url depends on. */
export interface StoredCallView {
  view: string;
  recording_url: string | null;
  stored_recording: string | null;
}

// Only call_views for most calls: `calls` is read (for the runtime's recording_url, which the
// signed URL replaces) only when a recording is stored here.
const findCallViewQuery = precompiled((db: Db, projectId: string, callId: string) =>
  db
    .selectFrom('call_views')
    .leftJoin('recordings', 'recordings.call_id', 'call_views.id')
    .leftJoin('calls', 'calls.id', 'recordings.call_id')
    .select(['call_views.view', 'calls.recording_url', 'recordings.call_id as stored_recording'])
    .where('call_views.id', '=', callId)
    .where('call_views.project_id', '=', projectId),
);

/**
 * One call's stored view: one row, or none when the call is missing or another project's. The
 * query's own promise, with no layer of its own: GET's fast path waits on it on PostgreSQL.
 */
export function findCallView(db: Db, projectId: string, callId: string): Promise<StoredCallView[]> {
  return findCallViewQuery(db, projectId, callId);
}

/**
 * findCallView at once, on a SQLite file store (its read connection): the call's row, or none.
 * Undefined where the read has to wait for its answer (PostgreSQL).
 */
export function findCallViewNow(db: Db, projectId: string, callId: string): StoredCallView[] | undefined {
  return findCallViewQuery.now(db, projectId, callId);
}

const findContactCallsQuery = precompiled((db: Db, projectId: string, contactId: string) =>
  selectCallsWithContact(db).where('calls.project_id', '=', projectId).where('calls.contact_id', '=', contactId),
);

/** Every call of one contact, with its contact's columns, to render again. */
export async function findContactCalls(db: Db, projectId: string, contactId: string): Promise<CallWithContact[]> {
  return (await findContactCallsQuery(db, projectId, contactId)) as CallWithContact[];
}

const updateCallViewQuery = precompiled((db: Db, callId: string, view: string) =>
  db.updateTable('call_views').set({ view }).where('id', '=', callId),
);

export async function updateCallView(db: Db, callId: string, view: string): Promise<void> {
  await updateCallViewQuery(db, callId, view);
}

/** What GET /v1/call/ can filter on; every filter is an equality or a closed date range. */
export interface CallFilters {
  agentId?: string;
  status?: string;
  type?: string;
  contactId?: string;
  phoneId?: string;
  createdFrom?: number;
  createdTo?: number;
}

/**
 * The project's calls matching `filters`, on `calls` and its indexes alone, not yet ordered or
 * limited: what the listing's pages (joined to withCallColumns) and its count are read from.
 */
export function callsMatching(db: Db, projectId: string, filters: CallFilters) {
  let q = db.selectFrom('calls');
  const equalities: [string, string | undefined][] = [
    ['calls.project_id', projectId],
    ['calls.agent_id', filters.agentId],
    ['calls.status', filters.status],
    ['calls.type', filters.type],
    ['calls.contact_id', filters.contactId],
    ['calls.phone_register_id', filters.phoneId],
  ];
  for (const [column, value] of equalities) {
    if (value !== undefined) q = q.where(sql<boolean>`${sql.ref(column)} = ${value}`);
  }
  if (filters.createdFrom !== undefined)
    q = q.where(sql<boolean>`calls.created_date >= ${dbInstant(db, filters.createdFrom)}`);
  if (filters.createdTo !== undefined)
    q = q.where(sql<boolean>`calls.created_date <= ${dbInstant(db, filters.createdTo)}`);
  return q;
}

/** A call's creation instant, the position a cursor stands for; undefined if not the project's. */
export async function findCallCreatedDate(db: Db, projectId: string, callId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('calls')
    .select('created_date')
    .where('id', '=', callId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row?.created_date;
}

/** The project a call belongs to, for the runtime's calls (which carry no project). */
export async function findCallProject(db: Db, callId: string): Promise<string | undefined> {
  const row = await db.selectFrom('calls').select('project_id').where('id', '=', callId).executeTakeFirst();
  return row?.project_id;
}

/** Those of `callIds` that are the project's and in one of `statuses`. */
export async function findCallsInStatus(
  db: Db,
  projectId: string,
  callIds: string[],
  statuses: string[],
): Promise<string[]> {
  const found: string[] = [];
  for (const ids of chunks(callIds)) {
    const rows = await db
      .selectFrom('calls')
      .select('id')
      .where('project_id', '=', projectId)
      .where('id', 'in', ids)
      .where('status', 'in', statuses)
      .execute();
    found.push(...rows.map((r) => r.id));
  }
  return found;
}

export async function deleteCalls(db: Db, callIds: string[]): Promise<void> {
  for (const ids of chunks(callIds)) {
    await db.deleteFrom('call_views').where('id', 'in', ids).execute();
    await db.deleteFrom('calls').where('id', 'in', ids).execute();
  }
}

/** How many of the project's calls are in one of `statuses`: an index range count. */
export async function countCallsInStatus(db: Db, projectId: string, statuses: string[]): Promise<number> {
  const row = await db
    .selectFrom('calls')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .where('status', 'in', statuses)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const findCallRowQuery = precompiled((db: Db, callId: string) =>
  db.selectFrom('calls').selectAll().where('id', '=', callId),
);

/** A call's row as last written, whatever its project. */
export async function findCallRow(db: Db, callId: string): Promise<CallRow | undefined> {
  const [row] = await findCallRowQuery(db, callId);
  return row;
}

import type { Kysely } from 'kysely';
import { renderCallView, type CallColumns } from '../../contract/call-response.js';

const PAGE = 500;

/**
 * Every call gets its stored view. Calls stored before views existed (0006) kept a null one
 * (0008 gave them their row in call_views), and every read rendered them until their next
 * change; here they are rendered as ingestion renders them, with their contact's created_date as
 * it stands, which is what a read rendered. From now on every call has a view, and reads only
 * serve it. A call without a row at all gets one too. In pages by id, so a store of any size is
 * filled in bounded memory; one statement writes each page.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let after: string | undefined;
  for (;;) {
    let page = db
      .selectFrom('calls')
      .innerJoin('contacts', 'contacts.id', 'calls.contact_id')
      .leftJoin('call_views', 'call_views.id', 'calls.id')
      .selectAll('calls')
      .select([
        'contacts.created_date as contact_created_date',
        'contacts.identifier as contact_identifier',
        'contacts.contact_type as contact_type',
      ])
      .where('call_views.view', 'is', null)
      .orderBy('calls.id')
      .limit(PAGE);
    if (after !== undefined) page = page.where('calls.id', '>', after);
    const rows = (await page.execute()) as (CallColumns & { project_id: string })[];
    if (rows.length === 0) return;
    await db
      .insertInto('call_views')
      .values(rows.map((row) => ({ id: row.id, project_id: row.project_id, view: renderCallView(row) })))
      .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ view: eb.ref('excluded.view') })))
      .execute();
    after = (rows.at(-1) as CallColumns).id;
  }
}

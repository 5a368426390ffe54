import { sql } from 'kysely';
import type { Db } from './database.js';
import { dbInstant, dialectOf } from './dialect.js';
import { precompiled } from './precompiled.js';
import type { ContactsTable } from './schema.js';

type ContactRow = ContactsTable;

export interface ContactIdentity {
  projectId: string;
  contactType: string;
  identifier: string;
}

/**
 * Records that a contact was seen at `seenAt` and returns its id. A contact is unique per
 * project, type and identifier; its created_date is the earliest time it was ever seen,
 * whatever order the sightings are reported in. Returns the id and that earliest time.
 */
export async function upsertContact(
  db: Db,
  contact: ContactIdentity,
  seenAt: number,
  newId: string,
): Promise<{ id: string; created_date: number }> {
  const [row] = await upsertContactQuery(db, {
    id: newId,
    project_id: contact.projectId,
    contact_type: contact.contactType,
    identifier: contact.identifier,
    created_date: dbInstant(db, seenAt),
  });
  if (row === undefined) throw new Error('the contact upsert returned no row');
  return { id: row.id, created_date: Number(row.created_date) };
}

const upsertContactQuery = precompiled((db: Db, row: ContactRow) =>
  db
    .insertInto('contacts')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['project_id', 'contact_type', 'identifier']).doUpdateSet({
        // The earliest sighting wins, whatever order sightings arrive in.
        created_date:
          dialectOf(db) === 'postgres'
            ? sql<number>`least(contacts.created_date, excluded.created_date)`
            : sql<number>`min(contacts.created_date, excluded.created_date)`,
      }),
    )
    .returning(['id', 'created_date']),
);

/**
 * Re-dates a contact from the calls that still name it, after one of its calls moved to another
 * contact (an earlier `call.created` with another identifier arrived late). A sighting that no
 * call keeps is not a sighting: without this, the order events arrive in would decide the
 * contact's created_date. A contact no call names any more is removed, as it would never have
 * existed had the events arrived in order.
 */
export async function redateContact(db: Db, projectId: string, contactId: string): Promise<void> {
  const row = await db
    .selectFrom('calls')
    .select((eb) => eb.fn.min('created_date').as('earliest'))
    .where('project_id', '=', projectId)
    .where('contact_id', '=', contactId)
    .executeTakeFirst();
  const earliest = row?.earliest ?? null;
  if (earliest === null) {
    await db.deleteFrom('contacts').where('id', '=', contactId).execute();
  } else {
    const createdDate = dbInstant(db, Number(earliest));
    await db.updateTable('contacts').set({ created_date: createdDate }).where('id', '=', contactId).execute();
  }
}

import { sql } from 'kysely';
import type { Db } from './database.js';
import { dbInstant, dialectOf } from './dialect.js';

export interface ContactIdentity {
  projectId: string;
  contactType: string;
  identifier: string;
}

/**
 * Records that a contact was seen at `seenAt` and returns its id. A contact is unique per
 * project, type and identifier; its created_date is the earliest time it was ever seen,
 * whatever order the sightings are reported in.
 */
export async function upsertContact(db: Db, contact: ContactIdentity, seenAt: number, newId: string): Promise<string> {
  const row = await db
    .insertInto('contacts')
    .values({
      id: newId,
      project_id: contact.projectId,
      contact_type: contact.contactType,
      identifier: contact.identifier,
      created_date: dbInstant(db, seenAt),
    })
    .onConflict((oc) =>
      oc.columns(['project_id', 'contact_type', 'identifier']).doUpdateSet({
        // The earliest sighting wins, whatever order sightings arrive in.
        created_date:
          dialectOf(db) === 'postgres'
            ? sql<number>`least(contacts.created_date, excluded.created_date)`
            : sql<number>`min(contacts.created_date, excluded.created_date)`,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

import type { Kysely } from 'kysely';

/**
 * Whether a webhook's deliveries show recording_url (issue 27): 1 when the key that last set
 * its URL could read recordings (recordings.view), 0 when it could not, so a key without that
 * permission cannot route recording links to a receiver of its choosing. Webhooks that exist
 * already keep showing them: the keys that set their URLs were not recorded, and their
 * receivers get what they got before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('webhooks')
    .addColumn('shows_recordings', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

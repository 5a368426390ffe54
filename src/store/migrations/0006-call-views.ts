import type { Kysely } from 'kysely';

/**
 * Stored responses (issue 8): each call keeps its CallResponse as rendered when it last changed,
 * so GET /v1/call/{id} reads one column by primary key instead of joining and rendering. Text on
 * both stores: the bytes are served as they are, never queried. Null for calls written before
 * this migration; those are rendered on read until they next change.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('calls').addColumn('view', 'text').execute();
}

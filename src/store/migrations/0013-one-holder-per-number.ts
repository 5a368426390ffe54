import { sql, type Kysely } from 'kysely';
import { phoneRoutingKey } from '../../kernel/phone-routing-key.js';

const PAGE = 500;

/**
 * A phone number routes to one project. `routing_key` is the number as routing sees it
 * (kernel/phone-routing-key.ts), and a unique index over the numbers still held (any status but
 * released or finished) lets one project hold it. Where several projects imported the same
 * number before, the earliest import (by created_date, then id) keeps it and the later ones are
 * released as DELETE /v1/phone/{id} releases a number: the row goes, with its agent bindings,
 * and calls made with it keep its id (docs/SECURITY.md, "Ambiguous ownership", lists the query
 * that finds them before upgrading).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('phone_registers').addColumn('routing_key', 'text').execute();

  let after: string | undefined;
  for (;;) {
    let page = db.selectFrom('phone_registers').select(['id', 'number']).orderBy('id').limit(PAGE);
    if (after !== undefined) page = page.where('id', '>', after);
    const rows = await page.execute();
    for (const row of rows) {
      await db
        .updateTable('phone_registers')
        .set({ routing_key: phoneRoutingKey(row.number) })
        .where('id', '=', row.id)
        .execute();
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }

  // Every live row that an earlier live row with the same key precedes.
  await sql`
    DELETE FROM phone_registers WHERE id IN (
      SELECT later.id FROM phone_registers later
      JOIN phone_registers earlier
        ON earlier.routing_key = later.routing_key
       AND earlier.status NOT IN ('released', 'finished')
       AND (earlier.created_date < later.created_date
            OR (earlier.created_date = later.created_date AND earlier.id < later.id))
      WHERE later.status NOT IN ('released', 'finished')
    )
  `.execute(db);

  await sql`
    CREATE UNIQUE INDEX phone_registers_routing_key ON phone_registers (routing_key)
    WHERE status NOT IN ('released', 'finished')
  `.execute(db);
}

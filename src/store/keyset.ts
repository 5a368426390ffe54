import { sql, type SelectQueryBuilder } from 'kysely';
import type { PagePosition, SortOrder } from '../kernel/pagination.js';
import type { Db } from './database.js';
import { dbInstant } from './dialect.js';

/** The two columns every listing is ordered by: a creation instant, then the id as tie-break. */
export interface ListingKey {
  createdDate: string;
  id: string;
}

export interface Window {
  order: SortOrder;
  limit: number;
  position: PagePosition;
}

/**
 * One page of `query` in (created_date, id) order. A cursor becomes a row-value comparison that
 * both stores answer with an index range scan (never an OFFSET walk); `before` reads backwards
 * from the cursor and restores the listing order. One extra row tells whether more follow.
 */
export async function fetchWindow<DB, TB extends keyof DB, R>(
  db: Db,
  query: SelectQueryBuilder<DB, TB, R>,
  key: ListingKey,
  window: Window,
): Promise<{ rows: R[]; hasMore: boolean }> {
  const { position } = window;
  const backwards = position.kind === 'cursor' && position.direction === 'before';
  const descending = (window.order === 'desc') !== backwards;
  const direction = descending ? sql`desc` : sql`asc`;
  let q = query;
  if (position.kind === 'cursor') {
    const operator = sql.raw(descending ? '<' : '>');
    q = q.where(
      sql<boolean>`(${sql.ref(key.createdDate)}, ${sql.ref(key.id)}) ${operator} (${dbInstant(db, position.createdDate)}, ${position.id})`,
    );
  }
  q = q
    .orderBy(sql`${sql.ref(key.createdDate)} ${direction}`)
    .orderBy(sql`${sql.ref(key.id)} ${direction}`)
    .limit(window.limit + 1);
  if (position.kind === 'offset') q = q.offset(position.offset);
  const rows = (await q.execute()) as R[];
  const hasMore = rows.length > window.limit;
  const page = rows.slice(0, window.limit);
  if (backwards) page.reverse();
  return { rows: page, hasMore };
}

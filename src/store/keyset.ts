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
 * A listing's items as one query with its filters applied: a page and the count are both read
 * from it, so page mode's total can never count items the page would not show.
 */
export interface FilteredListing<R> {
  page(window: Window): Promise<{ rows: R[]; hasMore: boolean }>;
  count(): Promise<number>;
}

const BY_CREATION: ListingKey = { createdDate: 'created_date', id: 'id' };

/**
 * The listing of the items `matching` selects, ordered by `key`. `shown`, when given, adds what
 * a page shows beyond them (joined columns that never change which items match): only pages
 * read it, so the count stays on the matching table and its indexes.
 */
export function filteredListing<DB, TB extends keyof DB, O>(
  db: Db,
  matching: SelectQueryBuilder<DB, TB, O>,
  key?: ListingKey,
): FilteredListing<O>;
export function filteredListing<DB, TB extends keyof DB, O, TS extends keyof DB, R>(
  db: Db,
  matching: SelectQueryBuilder<DB, TB, O>,
  key: ListingKey,
  shown: (matching: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TS, R>,
): FilteredListing<R>;
export function filteredListing<DB, TB extends keyof DB, O, TS extends keyof DB, R>(
  db: Db,
  matching: SelectQueryBuilder<DB, TB, O>,
  key: ListingKey = BY_CREATION,
  shown?: (matching: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TS, R>,
): FilteredListing<O | R> {
  const rows = shown === undefined ? matching : shown(matching);
  return {
    page: (window) => fetchWindow<DB, TB | TS, O | R>(db, rows, key, window),
    count: () => countRows(matching),
  };
}

/**
 * One page of `query` in (created_date, id) order. A cursor becomes a row-value comparison that
 * both stores answer with an index range scan (never an OFFSET walk); `before` reads backwards
 * from the cursor and restores the listing order. One extra row tells whether more follow.
 */
async function fetchWindow<DB, TB extends keyof DB, R>(
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

/** How many items `query` selects: its own FROM and WHERE, counted. */
async function countRows<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): Promise<number> {
  const row = (await query
    .clearSelect()
    .select(sql<number | string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow()) as { n: number | string };
  // PostgreSQL's count is a bigint, which pg hands over as a string.
  return Number(row.n);
}

import type { SelectQueryBuilder } from 'kysely';
import type { Db } from '../store/database.js';
import { fetchWindow } from '../store/keyset.js';
import { assertValidPageRequest, finishPage, positionOf, type Page, type PageRequest } from '../kernel/pagination.js';

/** A list endpoint's rows: what to page through, ordered by (created_date, id). */
export interface Listing<DB, TB extends keyof DB, R> {
  query: SelectQueryBuilder<DB, TB, R>;
  /** The creation instant of one of the listing's own items, for a cursor. */
  createdDateOf: (id: string) => Promise<number | undefined>;
  /** How many items the listing has, for page mode. */
  count: () => Promise<number>;
  /** What the items are called in a 422 for an unknown cursor ("API key"). */
  noun: string;
}

/** One page of a simple listing of a project's resources (keys, webhooks, deliveries). */
export async function paginate<DB, TB extends keyof DB, R, V extends { id: string }>(
  db: Db,
  request: PageRequest,
  listing: Listing<DB, TB, R>,
  render: (row: R) => V,
): Promise<Page<V>> {
  assertValidPageRequest(request);
  const position = await positionOf(
    request,
    listing.createdDateOf,
    (id, direction) => `${listing.noun} ${id} given in '${direction}' was not found`,
  );
  const { rows, hasMore } = await fetchWindow(
    db,
    listing.query,
    { createdDate: 'created_date', id: 'id' },
    {
      order: request.order,
      limit: request.limit,
      position,
    },
  );
  const total = request.page === undefined ? undefined : await listing.count();
  return finishPage(rows.map(render), hasMore, request, total);
}

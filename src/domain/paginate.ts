import type { FilteredListing } from '../store/keyset.js';
import { assertValidPageRequest, finishPage, positionOf, type Page, type PageRequest } from '../kernel/pagination.js';

/** A list endpoint: its filtered items, ordered by (created_date, id), and how a cursor is found. */
export interface Listing<R> {
  /** The items with the endpoint's filters applied once; pages and the count both come from it. */
  items: FilteredListing<R>;
  /** The creation instant of one of the listing's own items, for a cursor. */
  createdDateOf: (id: string) => Promise<number | undefined>;
  /** What the items are called in a 422 for an unknown cursor ("API key"). */
  noun: string;
  /** Where the items are, when that 422 says it ("in this call"). */
  within?: string;
}

/**
 * One page of a listing, the only way a list endpoint pages: by cursor (keyset) or by page
 * number, where `total_pages` counts the same filtered items the page is cut from.
 */
export async function paginate<R, V extends { id: string }>(
  request: PageRequest,
  listing: Listing<R>,
  render: (row: R) => V,
): Promise<Page<V>> {
  assertValidPageRequest(request);
  const position = await positionOf(
    request,
    listing.createdDateOf,
    (id, direction) =>
      `${listing.noun} ${id} given in '${direction}' was not found${listing.within === undefined ? '' : ` ${listing.within}`}`,
  );
  const window = { order: request.order, limit: request.limit, position };
  const [{ rows, hasMore }, total] = await Promise.all([
    listing.items.page(window),
    request.page === undefined ? undefined : listing.items.count(),
  ]);
  return finishPage(rows.map(render), hasMore, request, total);
}

import { errors } from './errors.js';

/**
 * Diga's pagination, shared by every list endpoint: a page is either reached by cursor
 * (`after` / `before` an item id: keyset pagination, stable while items are added) or by page
 * number (`page`: offset pagination, with `current_page` and `total_pages` filled in).
 */
export type SortOrder = 'asc' | 'desc';

export interface PageRequest {
  after?: string;
  before?: string;
  page?: number;
  limit: number;
  order: SortOrder;
}

/** `PaginatedResponse[T]`, keys in the reference's order. */
export interface Page<T> {
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
  current_page: number | null;
  total_pages: number | null;
}

/** Where a page starts: after or before a known item, at an offset, or at the beginning. */
export type PagePosition =
  | { kind: 'cursor'; direction: 'after' | 'before'; createdDate: number; id: string }
  | { kind: 'offset'; offset: number }
  | { kind: 'start' };

const invalidPagination = errors.invalidPagination;

/**
 * Rejects combinations that have no meaning, before any lookup. The cursor id and the page
 * number name two different ways to reach a page, so they cannot be combined either.
 */
export function assertValidPageRequest(request: PageRequest): void {
  if (request.after !== undefined && request.before !== undefined) {
    throw invalidPagination("Cannot specify both 'before' and 'after' parameters");
  }
  if (request.page !== undefined && (request.after !== undefined || request.before !== undefined)) {
    throw invalidPagination("Cannot specify 'page' together with 'before' or 'after'");
  }
}

/**
 * Where the requested page starts. A cursor id is looked up with `createdDateOf`, which answers
 * only for the listing's own items (so another project's id is as unknown as a made-up one);
 * `unknown` names what was not found, for the 422.
 */
export async function positionOf(
  request: PageRequest,
  createdDateOf: (id: string) => Promise<number | undefined>,
  unknown: (id: string, direction: string) => string,
): Promise<PagePosition> {
  if (request.page !== undefined) return { kind: 'offset', offset: (request.page - 1) * request.limit };
  const [direction, id] =
    request.after !== undefined ? (['after', request.after] as const) : (['before', request.before] as const);
  if (id === undefined) return { kind: 'start' };
  const createdDate = await createdDateOf(id);
  if (createdDate === undefined) throw invalidPagination(unknown(id, direction));
  return { kind: 'cursor', direction, createdDate, id };
}

/** The page's envelope; in page mode `total` (the matching count) gives the page numbers. */
export function finishPage<T extends { id: string }>(
  data: T[],
  hasMore: boolean,
  request: PageRequest,
  total?: number,
): Page<T> {
  if (request.page === undefined || total === undefined) return pageOf(data, hasMore);
  const totalPages = Math.ceil(total / request.limit);
  return pageOf(data, request.page < totalPages, { current: request.page, total: totalPages });
}

function pageOf<T extends { id: string }>(
  data: T[],
  hasMore: boolean,
  pages?: { current: number; total: number },
): Page<T> {
  return {
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: hasMore,
    current_page: pages?.current ?? null,
    total_pages: pages?.total ?? null,
  };
}

/**
 * A page whose items are JSON texts already (stored views), as the JSON of `Page`: the items are
 * written as they are, the rest of the envelope serialized in the reference's key order.
 */
export function pageJson(page: Page<{ id: string; json: string }>): string {
  const { data, ...rest } = page;
  return `{"data":[${data.map((item) => item.json).join(',')}],${JSON.stringify(rest).slice(1)}`;
}

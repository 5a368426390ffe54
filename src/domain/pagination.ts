import { ApiError } from '../errors.js';

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

export const invalidPagination = (message: string) => new ApiError(422, 'INVALID_PAGINATION_PARAMETERS', message);

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

/** The cursor a request names, if any, as (direction, id). */
export function cursorOf(request: PageRequest): { direction: 'after' | 'before'; id: string } | undefined {
  if (request.after !== undefined) return { direction: 'after', id: request.after };
  if (request.before !== undefined) return { direction: 'before', id: request.before };
  return undefined;
}

export function pageOf<T extends { id: string }>(
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

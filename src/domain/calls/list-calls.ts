import type { Db } from '../../store/database.js';
import {
  countCalls,
  filteredCalls,
  findCallCreatedDate,
  type CallFilters,
  type CallWithContact,
} from '../../store/calls-repo.js';
import { fetchWindow } from '../../store/keyset.js';
import {
  assertValidPageRequest,
  cursorOf,
  invalidPagination,
  pageOf,
  type Page,
  type PagePosition,
  type PageRequest,
} from '../pagination.js';
import { ApiError } from '../../errors.js';
import { toCallView, type CallView, type RecordingUrlOf } from './get-call.js';

export type { CallFilters };

const LISTING_KEY = { createdDate: 'calls.created_date', id: 'calls.id' };

/**
 * A page of the project's calls, newest first unless asked otherwise, ordered by
 * (created_date, id) so that a walk with `after` meets every call exactly once.
 */
export async function listCalls(
  db: Db,
  projectId: string,
  filters: CallFilters,
  request: PageRequest,
  recordingUrlOf?: RecordingUrlOf,
): Promise<Page<CallView>> {
  const render = (row: CallWithContact) => toCallView(row, recordingUrlOf);
  assertValidPageRequest(request);
  if (filters.createdFrom !== undefined && filters.createdTo !== undefined && filters.createdFrom > filters.createdTo) {
    throw new ApiError(
      400,
      'NOT_VALID_FIELD',
      'Invalid field value in query parameters: start_created_date is after end_created_date',
    );
  }

  const position = await positionOf(db, projectId, request);
  const window = { order: request.order, limit: request.limit, position };
  const query = filteredCalls(db, projectId, filters);
  if (request.page === undefined) {
    const { rows, hasMore } = await fetchWindow(db, query, LISTING_KEY, window);
    return pageOf(rows.map(render), hasMore);
  }
  const [{ rows }, total] = await Promise.all([
    fetchWindow(db, query, LISTING_KEY, window),
    countCalls(db, projectId, filters),
  ]);
  const totalPages = Math.ceil(total / request.limit);
  return pageOf(rows.map(render), request.page < totalPages, { current: request.page, total: totalPages });
}

async function positionOf(db: Db, projectId: string, request: PageRequest): Promise<PagePosition> {
  if (request.page !== undefined) return { kind: 'offset', offset: (request.page - 1) * request.limit };
  const cursor = cursorOf(request);
  if (cursor === undefined) return { kind: 'start' };
  const createdDate = await findCallCreatedDate(db, projectId, cursor.id);
  // Another project's call is as unknown here as one that never existed.
  if (createdDate === undefined)
    throw invalidPagination(`Call ${cursor.id} given in '${cursor.direction}' was not found`);
  return { kind: 'cursor', direction: cursor.direction, createdDate, id: cursor.id };
}

import type { Db } from '../../store/database.js';
import {
  countCalls,
  filteredCalls,
  findCallCreatedDate,
  type CallFilters,
  type CallWithContact,
} from '../../store/calls-repo.js';
import { fetchWindow } from '../../store/keyset.js';
import { assertValidPageRequest, finishPage, pageJson, positionOf, type PageRequest } from '../../kernel/pagination.js';
import { ApiError } from '../../kernel/errors.js';
import { servedView } from './call-views.js';
import type { RecordingUrlOf } from './get-call.js';

export type { CallFilters };

const LISTING_KEY = { createdDate: 'calls.created_date', id: 'calls.id' };

/**
 * A page of the project's calls, newest first unless asked otherwise, ordered by
 * (created_date, id) so that a walk with `after` meets every call exactly once. Returned as the
 * page's JSON, made of the calls' stored views.
 */
export async function listCalls(
  db: Db,
  projectId: string,
  filters: CallFilters,
  request: PageRequest,
  recordingUrlOf?: RecordingUrlOf,
): Promise<string> {
  const render = (row: CallWithContact) => ({ id: row.id, json: servedView(row, recordingUrlOf) });
  assertValidPageRequest(request);
  if (filters.createdFrom !== undefined && filters.createdTo !== undefined && filters.createdFrom > filters.createdTo) {
    throw new ApiError(
      400,
      'NOT_VALID_FIELD',
      'Invalid field value in query parameters: start_created_date is after end_created_date',
    );
  }

  const position = await positionOf(
    request,
    (id) => findCallCreatedDate(db, projectId, id),
    (id, direction) => `Call ${id} given in '${direction}' was not found`,
  );
  const window = { order: request.order, limit: request.limit, position };
  const query = filteredCalls(db, projectId, filters);
  const [{ rows, hasMore }, total] = await Promise.all([
    fetchWindow(db, query, LISTING_KEY, window),
    request.page === undefined ? undefined : countCalls(db, projectId, filters),
  ]);
  return pageJson(finishPage(rows.map(render), hasMore, request, total));
}

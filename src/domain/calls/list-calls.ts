import type { Db } from '../../store/database.js';
import {
  callsMatching,
  findCallCreatedDate,
  withCallColumns,
  type CallFilters,
  type CallWithContact,
} from '../../store/calls-repo.js';
import { filteredListing } from '../../store/keyset.js';
import { assertValidPageRequest, pageJson, type PageRequest } from '../../kernel/pagination.js';
import { paginate } from '../paginate.js';
import { servedView, type CallReader } from './call-views.js';
import { callErrors } from './errors.js';

export type { CallFilters };

const LISTING_KEY = { createdDate: 'calls.created_date', id: 'calls.id' };

/**
 * A page of the project's calls, newest first unless asked otherwise, ordered by
 * (created_date, id) so that a walk with `after` meets every call exactly once. Returned as the
 * page's JSON, made of the calls' stored views as `reader` is served them (servedView). The
 * filters select calls on `calls` and its indexes alone; the contact, view and recording a page
 * shows are joined to the matching calls, so page mode's count reads `calls` only.
 */
export async function listCalls(
  db: Db,
  projectId: string,
  filters: CallFilters,
  request: PageRequest,
  reader: CallReader,
): Promise<string> {
  // An invalid combination of pagination parameters is reported before a bad date range.
  assertValidPageRequest(request);
  if (filters.createdFrom !== undefined && filters.createdTo !== undefined && filters.createdFrom > filters.createdTo) {
    throw callErrors.dateRangeReversed();
  }
  const page = await paginate(
    request,
    {
      items: filteredListing(db, callsMatching(db, projectId, filters), LISTING_KEY, withCallColumns),
      createdDateOf: (id) => findCallCreatedDate(db, projectId, id),
      noun: 'Call',
    },
    (row: CallWithContact) => ({ id: row.id, json: servedView(row, reader) }),
  );
  return pageJson(page);
}

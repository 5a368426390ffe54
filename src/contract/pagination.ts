import { Type, type TSchema } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../kernel/typebox.js';
import type { PageRequest } from '../kernel/pagination.js';
import { canonicalUuid } from '../kernel/uuid.js';

/** The query parameters every Diga list endpoint takes; only the default limit differs. */
export const paginationQuery = (defaultLimit: number) => ({
  after: Type.Optional(Type.String({ format: 'uuid', title: 'After' })),
  before: Type.Optional(Type.String({ format: 'uuid', title: 'Before' })),
  page: Type.Optional(Type.Integer({ minimum: 1, title: 'Page' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: defaultLimit, title: 'Limit' }),
  order: StringEnum(['asc', 'desc'], { default: 'desc', title: 'Order' }),
});

/** `PaginatedResponse[T]` of the reference, for an item schema registered under its $id. */
export function paginated<T extends TSchema>(item: T, title: string) {
  const nullableUuid = (t: string) => Nullable(Type.String({ format: 'uuid' }), { title: t });
  return Type.Object(
    {
      data: Type.Array(Type.Ref(item), { title: 'Data' }),
      first_id: nullableUuid('First Id'),
      last_id: nullableUuid('Last Id'),
      has_more: Type.Boolean({ title: 'Has More' }),
      current_page: Nullable(Type.Integer(), { title: 'Current Page' }),
      total_pages: Nullable(Type.Integer(), { title: 'Total Pages' }),
    },
    { $id: `PaginatedResponse_${title}_`, title: `PaginatedResponse[${title}]` },
  );
}

/** The pagination part of a validated query, cursor ids in canonical form. */
export function pageRequestOf(query: {
  after?: string;
  before?: string;
  page?: number;
  limit: number;
  order: 'asc' | 'desc';
}): PageRequest {
  const uuid = (value: string | undefined) => (value === undefined ? undefined : canonicalUuid(value));
  return {
    after: uuid(query.after),
    before: uuid(query.before),
    page: query.page,
    limit: query.limit,
    order: query.order,
  };
}

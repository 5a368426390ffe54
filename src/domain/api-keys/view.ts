import type { Static } from '@sinclair/typebox';
import type { ApiKeyResponseSchema, Permission, RedactedApiKeyResponseSchema } from '../../contract/api-keys.js';
import type { ApiKeyRow } from '../../store/credentials-repo.js';
import { formatInstant } from '../../kernel/time.js';
import { isPermission } from './permissions.js';

/** A key as listings show it: never its value. */
export type ApiKeyView = Static<typeof RedactedApiKeyResponseSchema>;

/** The view plus the value, shown once: at creation, when it is always there. */
export type CreatedApiKeyView = Static<typeof ApiKeyResponseSchema> & { value: string };

/** RedactedApiKeyResponseSchema, keys in the reference's order. */
export function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    created_date: formatInstant(row.created_date),
    last_four_digits: row.last_four_digits,
    creator_id: row.creator_id,
    permissions: permissionsOf(row),
    restricted: row.restricted === 1,
  };
}

/** What a stored key may do: null for an unrestricted key. */
export function permissionsOf(row: ApiKeyRow): Permission[] | null {
  return row.restricted === 1 ? (JSON.parse(row.permissions ?? '[]') as string[]).filter(isPermission) : null;
}

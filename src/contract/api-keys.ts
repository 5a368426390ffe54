import { Type } from '@sinclair/typebox';
import { PERMISSIONS } from '../domain/api-keys/permissions.js';
import { Nullable, StringEnum } from '../kernel/typebox.js';
import { paginated } from './pagination.js';

/** The API key schemas of spec/diga-openapi-subset.json. */
export const PermissionSchema = StringEnum(PERMISSIONS, { $id: 'Permission', title: 'Permission' });

const permissions = Type.Optional(
  Nullable(Type.Array(Type.Ref(PermissionSchema)), {
    title: 'Permissions',
    description: 'What a restricted key may do; null for an unrestricted key',
  }),
);
const expiryDate = Type.Optional(
  Nullable(Type.String({ format: 'date-time' }), {
    title: 'Expiry Date',
    description: 'When the key stops working; null: never',
  }),
);

export const ApiKeyRequestSchema = Type.Object(
  {
    name: Type.String({ title: 'API Key Name', minLength: 1, maxLength: 255 }),
    expiry_date: expiryDate,
    restricted: Type.Boolean({ title: 'Restricted' }),
    permissions,
  },
  { title: 'ApiKeyRequestSchema' },
);

export const ApiKeyUpdateRequestSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ title: 'API Key Name', minLength: 1, maxLength: 255 })),
    restricted: Type.Optional(Type.Boolean({ title: 'Restricted' })),
    permissions,
    expiry_date: Type.Optional(
      Nullable(Type.String({ format: 'date-time' }), {
        title: 'Expiry Date',
        description: 'Extension: change when the key stops working (null: never)',
      }),
    ),
  },
  { title: 'ApiKeyUpdateRequest' },
);

const keyFields = {
  id: Type.String({ format: 'uuid', title: 'API Key ID' }),
  name: Type.String({ title: 'API Key Name' }),
  created_date: Type.String({ format: 'date-time', title: 'Created Date' }),
  last_four_digits: Type.String({ title: 'Last Four Digits' }),
  creator_id: Type.String({ format: 'uuid', title: 'Creator ID' }),
  permissions: Type.Optional(Nullable(Type.Array(Type.Ref(PermissionSchema)), { title: 'Permissions' })),
  restricted: Type.Boolean({ title: 'Restricted' }),
};

export const RedactedApiKeyResponseSchema = Type.Object(keyFields, {
  $id: 'RedactedApiKeyResponseSchema',
  title: 'RedactedApiKeyResponseSchema',
});

export const ApiKeyResponseSchema = Type.Object(
  { ...keyFields, value: Type.Optional(Nullable(Type.String(), { title: 'API Key Value' })) },
  { $id: 'ApiKeyResponse', title: 'ApiKeyResponse' },
);

export const PaginatedApiKeysSchema = paginated(RedactedApiKeyResponseSchema, 'RedactedApiKeyResponseSchema');

export const ApiKeyIdParamsSchema = (verb: string) =>
  Type.Object({
    id: Type.String({ format: 'uuid', title: 'API Key ID', description: `The ID of the API key to ${verb}` }),
  });

export const apiKeySchemas = [
  PermissionSchema,
  RedactedApiKeyResponseSchema,
  ApiKeyResponseSchema,
  PaginatedApiKeysSchema,
];

import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../kernel/typebox.js';
import { paginated } from './pagination.js';

/** Diga's `Permission` enum (spec/diga-openapi-subset.json), in the reference's order. */
export const PERMISSIONS = [
  'companies.delete',
  'companies.update',
  'calls.create',
  'calls.delete',
  'calls.update',
  'calls.view',
  'messages.view',
  'agents.view',
  'agents.create',
  'agents.update',
  'agents.delete',
  'phones.view',
  'phones.purchase',
  'phones.delete',
  'phones.update',
  'phones.import',
  'tools.view',
  'tools.create',
  'tools.delete',
  'tools.update',
  'contacts.view',
  'contacts.delete',
  'conversational_paths.view',
  'conversational_paths.create',
  'conversational_paths.delete',
  'conversational_paths.update',
  'knowledge_bases.view',
  'knowledge_bases.create',
  'knowledge_bases.delete',
  'knowledge_bases.update',
  'webhooks.view',
  'webhooks.create',
  'webhooks.delete',
  'webhooks.update',
  'members.view',
  'members.create',
  'members.delete',
  'members.update',
  'billing.view',
  'billing.update',
  'api_keys.view',
  'api_keys.create',
  'api_keys.delete',
  'api_keys.update',
  'voices.view',
  'transcriptions.view',
  'recordings.view',
  'stats.view',
  'verifications.create',
  'verifications.view',
  'notifications.view',
  'notifications.update',
  'logs.view',
  'integrations.view',
  'integrations.create',
  'integrations.update',
  'integrations.delete',
  'workflows.view',
  'workflows.create',
  'workflows.update',
  'workflows.delete',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

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
    description: 'When the key stops working (at most 2199-12-31T23:59:59.999999Z); null: never',
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
        description: 'Extension: change when the key stops working (at most 2199-12-31T23:59:59.999999Z; null: never)',
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

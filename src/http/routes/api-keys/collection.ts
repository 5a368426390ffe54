import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { issueApiKey, listProjectApiKeys } from '../../../domain/api-keys/api-keys.js';
import { parseInstant } from '../../../kernel/time.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { ApiKeyRequestSchema, ApiKeyResponseSchema, PaginatedApiKeysSchema } from '../../../contract/api-keys.js';
import { errorResponse, validationErrorResponse, listErrorResponses } from '../../../contract/errors.js';
import { pageRequestOf, paginationQuery } from '../../../contract/pagination.js';

/** GET and POST /v1/api_key/. */
export const apiKeyCollectionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db } = deps;
  app.get(
    '/v1/api_key/',
    {
      onRequest: requireApiKey(deps, 'api_keys.view', 'view API keys'),
      schema: {
        tags: ['API Keys'],
        summary: 'List Api Keys',
        description: "Retrieve the project's live API keys, newest first; values are never shown.",
        operationId: 'list_api_keys_v1_api_key__get',
        security: [{ CustomHTTPBearer: [] }],
        querystring: Type.Object(paginationQuery(50)),
        response: {
          200: Type.Ref(PaginatedApiKeysSchema, { description: 'Successful Response' }),
          ...listErrorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return listProjectApiKeys(db, principalOf(request).projectId, pageRequestOf(q));
    },
  );

  app.post(
    '/v1/api_key/',
    {
      onRequest: requireApiKey(deps, 'api_keys.create', 'create API keys'),
      schema: {
        tags: ['API Keys'],
        summary: 'Create Api Key',
        description:
          'Create a new API key. Its `value` is in this response only; afterwards only `last_four_digits` is shown. A restricted key can only create restricted keys within its own permissions.',
        operationId: 'create_api_key_v1_api_key__post',
        security: [{ CustomHTTPBearer: [] }],
        body: ApiKeyRequestSchema,
        response: {
          200: Type.Ref(ApiKeyResponseSchema, { description: 'Successful Response' }),
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          422: validationErrorResponse,
          500: errorResponse('Internal Server Error'),
        },
      },
    },
    async (request) => {
      const body = request.body;
      return issueApiKey(db, principalOf(request), {
        name: body.name,
        restricted: body.restricted,
        permissions: body.permissions,
        expiresAt: body.expiry_date === undefined || body.expiry_date === null ? null : parseInstant(body.expiry_date),
      });
    },
  );
};

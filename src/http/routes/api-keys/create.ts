import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { issueApiKey } from '../../../domain/api-keys/issue-api-key.js';
import { parseInstant } from '../../../kernel/time.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { ApiKeyRequestSchema, ApiKeyResponseSchema } from '../../../contract/api-keys.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { apiKeyCommon } from './common.js';

/** POST /v1/api_key/: a key within the caller's own permissions. */
export const createApiKeyRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    '/v1/api_key/',
    {
      onRequest: requireApiKey(deps, 'api_keys.create', 'create API keys'),
      schema: {
        ...apiKeyCommon,
        summary: 'Create Api Key',
        description:
          'Create a new API key. Its `value` is in this response only; afterwards only `last_four_digits` is shown. A restricted key can only create restricted keys within its own permissions.',
        operationId: 'create_api_key_v1_api_key__post',
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
      return issueApiKey(deps.db, principalOf(request), {
        name: body.name,
        restricted: body.restricted,
        permissions: body.permissions,
        expiresAt: body.expiry_date === undefined || body.expiry_date === null ? null : parseInstant(body.expiry_date),
      });
    },
  );
};

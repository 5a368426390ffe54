import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getApiKey } from '../../../domain/api-keys/get-api-key.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { ApiKeyIdParamsSchema } from '../../../contract/api-keys.js';
import { apiKeyCommon, apiKeyItemErrors, redactedApiKeyResponse } from './common.js';

/** GET /v1/api_key/{id}. */
export const getApiKeyRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/api_key/:id',
    {
      onRequest: requireApiKey(deps, 'api_keys.view', 'view API keys'),
      schema: {
        ...apiKeyCommon,
        summary: 'Get Api Key',
        description: 'Retrieve an API key (never its value).',
        operationId: 'get_api_key_v1_api_key__id__get',
        params: ApiKeyIdParamsSchema('retrieve'),
        response: { 200: redactedApiKeyResponse, ...apiKeyItemErrors },
      },
    },
    async (request) => getApiKey(deps.db, principalOf(request).projectId, request.params.id),
  );
};

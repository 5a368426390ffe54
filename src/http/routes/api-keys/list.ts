import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listApiKeys } from '../../../domain/api-keys/list-api-keys.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { PaginatedApiKeysSchema } from '../../../contract/api-keys.js';
import { listErrorResponses } from '../../../contract/errors.js';
import { pageRequestOf, paginationQuery } from '../../../contract/pagination.js';
import { apiKeyCommon } from './common.js';

/** GET /v1/api_key/. */
export const listApiKeysRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/api_key/',
    {
      onRequest: requireApiKey(deps, 'api_keys.view', 'view API keys'),
      schema: {
        ...apiKeyCommon,
        summary: 'List Api Keys',
        description: "Retrieve the project's live API keys, newest first; values are never shown.",
        operationId: 'list_api_keys_v1_api_key__get',
        querystring: Type.Object(paginationQuery(50)),
        response: {
          200: Type.Ref(PaginatedApiKeysSchema, { description: 'Successful Response' }),
          ...listErrorResponses,
        },
      },
    },
    async (request) => listApiKeys(deps.db, principalOf(request).projectId, pageRequestOf(request.query)),
  );
};

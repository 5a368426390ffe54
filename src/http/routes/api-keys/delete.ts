import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { revokeApiKey } from '../../../domain/api-keys/revoke-api-key.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { ApiKeyIdParamsSchema } from '../../../contract/api-keys.js';
import { apiKeyCommon, apiKeyItemErrors } from './common.js';

/** DELETE /v1/api_key/{id}: revokes the key. */
export const deleteApiKeyRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.delete(
    '/v1/api_key/:id',
    {
      onRequest: requireApiKey(deps, 'api_keys.delete', 'delete API keys'),
      schema: {
        ...apiKeyCommon,
        summary: 'Delete Api Key',
        description: 'Revoke a key at once: the next request made with it is a 401.',
        operationId: 'delete_api_key_v1_api_key__id__delete',
        params: ApiKeyIdParamsSchema('delete'),
        response: { 200: Type.Null({ description: 'Successful Response' }), ...apiKeyItemErrors },
      },
    },
    async (request, reply) => {
      await revokeApiKey(deps.db, principalOf(request), request.params.id, deps.credentialCache);
      return reply.send(null);
    },
  );
};

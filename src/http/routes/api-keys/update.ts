import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { updateApiKey } from '../../../domain/api-keys/update-api-key.js';
import { parseInstant } from '../../../kernel/time.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { ApiKeyIdParamsSchema, ApiKeyUpdateRequestSchema } from '../../../contract/api-keys.js';
import { apiKeyCommon, apiKeyItemErrors, redactedApiKeyResponse } from './common.js';

/** PATCH /v1/api_key/{id}: its name, permissions or (extension) expiry. */
export const updateApiKeyRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.patch(
    '/v1/api_key/:id',
    {
      onRequest: requireApiKey(deps, 'api_keys.update', 'update API keys'),
      schema: {
        ...apiKeyCommon,
        summary: 'Update Api Key',
        description:
          'Rename a key, change its permissions or (extension) its `expiry_date`. Takes effect from the next request made with it.',
        operationId: 'update_api_key_v1_api_key__id__patch',
        params: ApiKeyIdParamsSchema('update'),
        body: ApiKeyUpdateRequestSchema,
        response: { 200: redactedApiKeyResponse, ...apiKeyItemErrors },
      },
    },
    async (request) => {
      const body = request.body;
      const expiry = body.expiry_date;
      const changes = {
        name: body.name,
        restricted: body.restricted,
        permissions: body.permissions,
        expiresAt: expiry === undefined ? undefined : expiry === null ? null : parseInstant(expiry),
      };
      return updateApiKey(deps.db, principalOf(request), request.params.id, changes, deps.credentialCache);
    },
  );
};

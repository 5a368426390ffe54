import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { deleteProjectApiKey, getProjectApiKey, updateProjectApiKey } from '../../../domain/api-keys/api-keys.js';
import { parseInstant } from '../../../kernel/time.js';
import { requireApiKey, principalOf } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import {
  ApiKeyIdParamsSchema,
  ApiKeyUpdateRequestSchema,
  RedactedApiKeyResponseSchema,
} from '../../../contract/api-keys.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';

const errorsOf = {
  401: errorResponse('Invalid Api Key'),
  403: errorResponse('Forbidden - Insufficient permissions'),
  404: errorResponse('Api Key Not Found'),
  422: validationErrorResponse,
  500: errorResponse('Internal Server Error'),
};

/** GET, PATCH and DELETE /v1/api_key/{id}. */
export const apiKeyItemRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db, credentialCache } = deps;

  app.get(
    '/v1/api_key/:id',
    {
      onRequest: requireApiKey(deps, 'api_keys.view', 'view API keys'),
      schema: {
        tags: ['API Keys'],
        summary: 'Get Api Key',
        description: 'Retrieve an API key (never its value).',
        operationId: 'get_api_key_v1_api_key__id__get',
        security: [{ CustomHTTPBearer: [] }],
        params: ApiKeyIdParamsSchema('retrieve'),
        response: { 200: Type.Ref(RedactedApiKeyResponseSchema, { description: 'Successful Response' }), ...errorsOf },
      },
    },
    async (request) => getProjectApiKey(db, principalOf(request).projectId, request.params.id),
  );

  app.patch(
    '/v1/api_key/:id',
    {
      onRequest: requireApiKey(deps, 'api_keys.update', 'update API keys'),
      schema: {
        tags: ['API Keys'],
        summary: 'Update Api Key',
        description:
          'Rename a key, change its permissions or (extension) its `expiry_date`. Takes effect from the next request made with it.',
        operationId: 'update_api_key_v1_api_key__id__patch',
        security: [{ CustomHTTPBearer: [] }],
        params: ApiKeyIdParamsSchema('update'),
        body: ApiKeyUpdateRequestSchema,
        response: { 200: Type.Ref(RedactedApiKeyResponseSchema, { description: 'Successful Response' }), ...errorsOf },
      },
    },
    async (request) => {
      const body = request.body;
      const expiry = body.expiry_date;
      return updateProjectApiKey(
        db,
        principalOf(request),
        request.params.id,
        {
          name: body.name,
          restricted: body.restricted,
          permissions: body.permissions,
          expiresAt: expiry === undefined ? undefined : expiry === null ? null : parseInstant(expiry),
        },
        credentialCache,
      );
    },
  );

  app.delete(
    '/v1/api_key/:id',
    {
      onRequest: requireApiKey(deps, 'api_keys.delete', 'delete API keys'),
      schema: {
        tags: ['API Keys'],
        summary: 'Delete Api Key',
        description: 'Revoke a key at once: the next request made with it is a 401.',
        operationId: 'delete_api_key_v1_api_key__id__delete',
        security: [{ CustomHTTPBearer: [] }],
        params: ApiKeyIdParamsSchema('delete'),
        response: { 200: Type.Null({ description: 'Successful Response' }), ...errorsOf },
      },
    },
    async (request, reply) => {
      await deleteProjectApiKey(db, principalOf(request), request.params.id, credentialCache);
      return reply.send(null);
    },
  );
};

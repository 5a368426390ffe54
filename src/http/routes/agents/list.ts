import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listAgents } from '../../../domain/agents/list-agents.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, listErrorResponses } from '../../../contract/errors.js';
import { pageRequestOf } from '../../../contract/pagination.js';
import { PaginatedAgentsSchema } from '../../../contract/agents.js';
import { agentCommon, agentListQuery } from './common.js';

/** GET /v1/agent/. */
export const listAgentsRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/agent/',
    {
      onRequest: requireApiKey(deps, 'agents.view', 'view agents'),
      schema: {
        ...agentCommon,
        summary: 'List all agents',
        description:
          'Retrieve a paginated list of agents for the company. By default, retrieves only draft versions. Supports cursor-based and page-based pagination.',
        operationId: 'list_agents_v1_agent__get',
        querystring: agentListQuery,
        response: {
          200: Type.Ref(PaginatedAgentsSchema, { description: 'Successful Response' }),
          400: errorResponse('Bad request - Invalid field'),
          ...listErrorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return listAgents(deps.db, principalOf(request).projectId, pageRequestOf(q), {
        mode: q.mode,
        isPublished: q.is_published,
      });
    },
  );
};

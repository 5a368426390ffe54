import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listVersions } from '../../../domain/agents/list-versions.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { pageRequestOf } from '../../../contract/pagination.js';
import { AgentIdParamsSchema, PaginatedAgentsSchema } from '../../../contract/agents.js';
import { agentCommon, agentErrorResponses, agentListQuery } from './common.js';

/** GET /v1/agent/{agent_id}/version. */
export const listAgentVersionsRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/agent/:agent_id/version',
    {
      onRequest: requireApiKey(deps, 'agents.view', 'view agents'),
      schema: {
        ...agentCommon,
        summary: 'List agent versions',
        description:
          'Retrieve a paginated list of all versions for a specific agent, including draft and published versions.',
        operationId: 'list_agent_version_v1_agent__agent_id__version_get',
        params: AgentIdParamsSchema,
        querystring: agentListQuery,
        response: {
          200: Type.Ref(PaginatedAgentsSchema, { description: 'Successful Response' }),
          ...agentErrorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return listVersions(deps.db, principalOf(request).projectId, request.params.agent_id, pageRequestOf(q), {
        mode: q.mode,
        isPublished: q.is_published,
      });
    },
  );
};

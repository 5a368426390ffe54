import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getAgent } from '../../../domain/agents/get-agent.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { AgentIdParamsSchema } from '../../../contract/agents.js';
import { agentCommon, agentErrorResponses, agentResponse } from './common.js';

/** GET /v1/agent/{agent_id}. */
export const getAgentRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/agent/:agent_id',
    {
      onRequest: requireApiKey(deps, 'agents.view', 'view agents'),
      schema: {
        ...agentCommon,
        summary: 'Get agent by ID',
        description:
          'Retrieve a specific agent by ID. By default, retrieves the draft version. Optionally specify a version_id or is_published to retrieve a specific version.',
        operationId: 'get_agent_v1_agent__agent_id__get',
        params: AgentIdParamsSchema,
        querystring: Type.Object({
          version_id: Type.Optional(Type.String({ format: 'uuid', title: 'Version Id' })),
          is_published: Type.Boolean({ default: false, title: 'Is Published' }),
        }),
        response: { 200: agentResponse, ...agentErrorResponses },
      },
    },
    async (request) =>
      getAgent(deps.db, principalOf(request).projectId, request.params.agent_id, {
        versionId: request.query.version_id,
        isPublished: request.query.is_published,
      }),
  );
};

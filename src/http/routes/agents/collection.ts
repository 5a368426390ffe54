import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createAgent } from '../../../domain/agents/create-agent.js';
import { listAgents } from '../../../domain/agents/list-agents.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { keepKeyOrder } from '../../serialize.js';
import { errorResponse, listErrorResponses } from '../../../contract/errors.js';
import { pageRequestOf } from '../../../contract/pagination.js';
import { AgentRequestSchema, AgentResponseSchema, PaginatedAgentsSchema } from '../../../contract/agents.js';
import { agentCommon, agentErrorResponses, agentListQuery } from './common.js';

/** POST and GET /v1/agent/. */
export const agentCollectionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db } = deps;

  app.post(
    '/v1/agent/',
    {
      onRequest: requireApiKey(deps, 'agents.create', 'create agents'),
      serializerCompiler: keepKeyOrder,
      schema: {
        ...agentCommon,
        summary: 'Create a new agent',
        description:
          'Create a new agent. By default, creates a new version (v1) and a draft. If is_draft is true, creates only a draft.',
        operationId: 'create_agent_v1_agent__post',
        querystring: Type.Object({
          is_draft: Type.Boolean({
            default: false,
            title: 'Is Draft',
            description: 'If true, the agent is created as a draft.',
          }),
        }),
        body: AgentRequestSchema,
        response: {
          201: Type.Ref(AgentResponseSchema, { description: 'Successful Response' }),
          ...agentErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const agent = await createAgent(db, principalOf(request).projectId, request.body, request.query.is_draft);
      return reply.code(201).send(agent);
    },
  );

  app.get(
    '/v1/agent/',
    {
      onRequest: requireApiKey(deps, 'agents.view', 'view agents'),
      serializerCompiler: keepKeyOrder,
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
      return listAgents(db, principalOf(request).projectId, pageRequestOf(q), {
        mode: q.mode,
        isPublished: q.is_published,
      });
    },
  );
};

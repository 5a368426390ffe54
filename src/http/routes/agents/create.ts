import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createAgent } from '../../../domain/agents/create-agent.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { AgentRequestSchema } from '../../../contract/agents.js';
import { agentCommon, agentErrorResponses, agentResponse } from './common.js';

/** POST /v1/agent/. */
export const createAgentRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    '/v1/agent/',
    {
      onRequest: requireApiKey(deps, 'agents.create', 'create agents'),
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
        response: { 201: agentResponse, ...agentErrorResponses },
      },
    },
    async (request, reply) => {
      const agent = await createAgent(deps.db, principalOf(request).projectId, request.body, request.query.is_draft);
      return reply.code(201).send(agent);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { removeAgent } from '../../../domain/agents/remove-agent.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse } from '../../../contract/errors.js';
import { AgentIdParamsSchema } from '../../../contract/agents.js';
import { agentCommon, agentErrorResponses } from './common.js';

/** DELETE /v1/agent/{agent_id}. */
export const deleteAgentRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.delete(
    '/v1/agent/:agent_id',
    {
      onRequest: requireApiKey(deps, 'agents.delete', 'delete agents'),
      schema: {
        ...agentCommon,
        summary: 'Delete agent',
        description: 'Delete an agent by ID. Cannot delete agents with published versions.',
        operationId: 'delete_agent_v1_agent__agent_id__delete',
        params: AgentIdParamsSchema,
        response: {
          204: Type.Null({ description: 'Successful Response' }),
          ...agentErrorResponses,
          409: errorResponse('Conflict - Cannot delete published agent'),
        },
      },
    },
    async (request, reply) => {
      await removeAgent(deps.db, principalOf(request).projectId, request.params.agent_id);
      return reply.code(204).send(null);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { updateAgentDraft } from '../../../domain/agents/update-agent-draft.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { AgentIdParamsSchema, AgentUpdateRequestSchema } from '../../../contract/agents.js';
import { agentCommon, agentErrorResponses, agentResponse } from './common.js';

/** PATCH /v1/agent/{agent_id}: changes the draft. */
export const updateAgentRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.patch(
    '/v1/agent/:agent_id',
    {
      onRequest: requireApiKey(deps, 'agents.update', 'update agents'),
      schema: {
        ...agentCommon,
        summary: 'Update agent draft',
        description: 'Update the draft version of an existing agent with new configuration, prompts, or settings.',
        operationId: 'update_agent_v1_agent__agent_id__patch',
        params: AgentIdParamsSchema,
        body: AgentUpdateRequestSchema,
        response: { 200: agentResponse, ...agentErrorResponses },
      },
    },
    async (request) => updateAgentDraft(deps.db, principalOf(request).projectId, request.params.agent_id, request.body),
  );
};

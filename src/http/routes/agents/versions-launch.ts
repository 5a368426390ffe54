import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { launchVersion } from '../../../domain/agents/launch-version.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { AgentIdParamsSchema, LaunchVersionRequestSchema } from '../../../contract/agents.js';
import { agentCommon, agentErrorResponses, agentResponse } from './common.js';

/** POST /v1/agent/{agent_id}/version: a numbered version frozen from the draft. */
export const launchAgentVersionRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    '/v1/agent/:agent_id/version',
    {
      onRequest: requireApiKey(deps, 'agents.update', 'update agents'),
      schema: {
        ...agentCommon,
        summary: 'Launch new agent version',
        description:
          'Launch a new version of an existing agent based on the current draft. Creates a numbered version (e.g., v2, v3) that can be published.',
        operationId: 'launch_agent_version_v1_agent__agent_id__version_post',
        params: AgentIdParamsSchema,
        body: LaunchVersionRequestSchema,
        response: { 201: agentResponse, ...agentErrorResponses },
      },
    },
    async (request, reply) => {
      const version = await launchVersion(
        deps.db,
        principalOf(request).projectId,
        request.params.agent_id,
        request.body.version_name ?? null,
      );
      return reply.code(201).send(version);
    },
  );
};

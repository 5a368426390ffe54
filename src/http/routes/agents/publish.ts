import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { publishVersion } from '../../../domain/agents/publish-version.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import {
  AgentIdParamsSchema,
  PublishAgentRequestSchema,
  PublishAgentResponseSchema,
} from '../../../contract/agents.js';
import { agentCommon, agentErrorResponses } from './common.js';

/** PATCH /v1/agent/{agent_id}/published_version. */
export const publishAgentVersionRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.patch(
    '/v1/agent/:agent_id/published_version',
    {
      onRequest: requireApiKey(deps, 'agents.update', 'update agents or phones'),
      schema: {
        ...agentCommon,
        summary: 'Publish agent version',
        description:
          'Publish a specific version of an agent and associate it with phone numbers. Phone numbers can be inbound, outbound, or both. If version_id is None, unpublishes the current published version.',
        operationId: 'publish_agent_version_v1_agent__agent_id__published_version_patch',
        params: AgentIdParamsSchema,
        body: PublishAgentRequestSchema,
        response: {
          200: Type.Ref(PublishAgentResponseSchema, { description: 'Successful Response' }),
          ...agentErrorResponses,
        },
      },
    },
    async (request) => {
      const b = request.body;
      return publishVersion(deps.db, principalOf(request).projectId, request.params.agent_id, {
        version_id: b.version_id,
        outbound_phone_number_id: b.outbound_phone_number_id,
        inbound_phone_number_id: b.inbound_phone_number_id,
      });
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getAgent } from '../../../domain/agents/get-agent.js';
import { publishVersion } from '../../../domain/agents/publish-version.js';
import { removeAgent } from '../../../domain/agents/remove-agent.js';
import { updateAgentDraft } from '../../../domain/agents/update-agent-draft.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { keepKeyOrder } from '../../serialize.js';
import { errorResponse } from '../../../contract/errors.js';
import {
  AgentIdParamsSchema,
  AgentResponseSchema,
  AgentUpdateRequestSchema,
  PublishAgentRequestSchema,
  PublishAgentResponseSchema,
} from '../../../contract/agents.js';
import { agentCommon, agentErrorResponses, uuid } from './common.js';

/** GET, PATCH, DELETE /v1/agent/{agent_id} and PATCH …/published_version. */
export const agentItemRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db } = deps;
  const agent = Type.Ref(AgentResponseSchema, { description: 'Successful Response' });

  app.get(
    '/v1/agent/:agent_id',
    {
      onRequest: requireApiKey(deps, 'agents.view', 'view agents'),
      serializerCompiler: keepKeyOrder,
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
        response: { 200: agent, ...agentErrorResponses },
      },
    },
    async (request) =>
      getAgent(db, principalOf(request).projectId, uuid(request.params.agent_id), {
        versionId: request.query.version_id === undefined ? undefined : uuid(request.query.version_id),
        isPublished: request.query.is_published,
      }),
  );

  app.patch(
    '/v1/agent/:agent_id',
    {
      onRequest: requireApiKey(deps, 'agents.update', 'update agents'),
      serializerCompiler: keepKeyOrder,
      schema: {
        ...agentCommon,
        summary: 'Update agent draft',
        description: 'Update the draft version of an existing agent with new configuration, prompts, or settings.',
        operationId: 'update_agent_v1_agent__agent_id__patch',
        params: AgentIdParamsSchema,
        body: AgentUpdateRequestSchema,
        response: { 200: agent, ...agentErrorResponses },
      },
    },
    async (request) =>
      updateAgentDraft(db, principalOf(request).projectId, uuid(request.params.agent_id), request.body),
  );

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
      await removeAgent(db, principalOf(request).projectId, uuid(request.params.agent_id));
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/v1/agent/:agent_id/published_version',
    {
      onRequest: requireApiKey(deps, 'agents.update', 'update agents or phones'),
      serializerCompiler: keepKeyOrder,
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
      const id = (value: string | null | undefined) => (value === undefined || value === null ? value : uuid(value));
      return publishVersion(db, principalOf(request).projectId, uuid(request.params.agent_id), {
        version_id: id(b.version_id),
        outbound_phone_number_id: id(b.outbound_phone_number_id),
        inbound_phone_number_id: id(b.inbound_phone_number_id),
      });
    },
  );
};

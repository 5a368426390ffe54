import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { launchVersion } from '../../../domain/agents/launch-version.js';
import { listVersions } from '../../../domain/agents/list-versions.js';
import { removeVersion } from '../../../domain/agents/remove-version.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { keepKeyOrder } from '../../serialize.js';
import { errorResponse } from '../../../contract/errors.js';
import { pageRequestOf } from '../../../contract/pagination.js';
import {
  AgentIdParamsSchema,
  AgentResponseSchema,
  LaunchVersionRequestSchema,
  PaginatedAgentsSchema,
} from '../../../contract/agents.js';
import { agentCommon, agentErrorResponses, agentListQuery, uuid } from './common.js';

/** Launching, listing and deleting an agent's versions. */
export const agentVersionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db } = deps;

  app.post(
    '/v1/agent/:agent_id/version',
    {
      onRequest: requireApiKey(deps, 'agents.update', 'update agents'),
      serializerCompiler: keepKeyOrder,
      schema: {
        ...agentCommon,
        summary: 'Launch new agent version',
        description:
          'Launch a new version of an existing agent based on the current draft. Creates a numbered version (e.g., v2, v3) that can be published.',
        operationId: 'launch_agent_version_v1_agent__agent_id__version_post',
        params: AgentIdParamsSchema,
        body: LaunchVersionRequestSchema,
        response: {
          201: Type.Ref(AgentResponseSchema, { description: 'Successful Response' }),
          ...agentErrorResponses,
        },
      },
    },
    async (request, reply) => {
      const version = await launchVersion(
        db,
        principalOf(request).projectId,
        uuid(request.params.agent_id),
        request.body.version_name ?? null,
      );
      return reply.code(201).send(version);
    },
  );

  app.get(
    '/v1/agent/:agent_id/version',
    {
      onRequest: requireApiKey(deps, 'agents.view', 'view agents'),
      serializerCompiler: keepKeyOrder,
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
      return listVersions(db, principalOf(request).projectId, uuid(request.params.agent_id), pageRequestOf(q), {
        mode: q.mode,
        isPublished: q.is_published,
      });
    },
  );

  app.delete(
    '/v1/agent/:agent_id/version/:version_id',
    {
      onRequest: requireApiKey(deps, 'agents.delete', 'delete agents'),
      schema: {
        ...agentCommon,
        summary: 'Delete agent version',
        description:
          'Delete a specific version of an agent. Cannot delete published or draft versions that are currently in use.',
        operationId: 'delete_agent_version_v1_agent__agent_id__version__version_id__delete',
        params: Type.Object({
          agent_id: Type.String({ format: 'uuid', title: 'Agent Id' }),
          version_id: Type.String({ format: 'uuid', title: 'Version Id' }),
        }),
        response: {
          204: Type.Null({ description: 'Successful Response' }),
          ...agentErrorResponses,
          409: errorResponse('Conflict - Cannot delete published or draft version'),
        },
      },
    },
    async (request, reply) => {
      const p = request.params;
      await removeVersion(db, principalOf(request).projectId, uuid(p.agent_id), uuid(p.version_id));
      return reply.code(204).send(null);
    },
  );
};

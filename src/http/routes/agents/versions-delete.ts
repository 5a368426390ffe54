import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { removeVersion } from '../../../domain/agents/remove-version.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse } from '../../../contract/errors.js';
import { agentCommon, agentErrorResponses } from './common.js';

/** DELETE /v1/agent/{agent_id}/version/{version_id}. */
export const deleteAgentVersionRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
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
      await removeVersion(deps.db, principalOf(request).projectId, p.agent_id, p.version_id);
      return reply.code(204).send(null);
    },
  );
};

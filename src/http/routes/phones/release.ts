import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { releasePhone } from '../../../domain/phones/release-phone.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { phoneCommon, phoneItemErrors } from './common.js';

/** DELETE /v1/phone/{id}: releases the number. */
export const releasePhoneRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.delete(
    '/v1/phone/:id',
    {
      onRequest: requireApiKey(deps, 'phones.delete', 'delete phones'),
      schema: {
        ...phoneCommon,
        summary: 'Release Phone Number',
        description:
          'Release a phone number.\n\n- For custom (imported) numbers: Deletes it automatically. Calls made with it keep its id.',
        operationId: 'release_phone_number_v1_phone__id__delete',
        params: Type.Object({ id: Type.String({ format: 'uuid', title: 'Id' }) }),
        response: { 204: Type.Null({ description: 'Successful Response' }), ...phoneItemErrors },
      },
    },
    async (request, reply) => {
      await releasePhone(deps.db, principalOf(request).projectId, request.params.id);
      return reply.code(204).send(null);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { updatePhoneSettings } from '../../../domain/phones/update-phone.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse } from '../../../contract/errors.js';
import { PhoneUpdateRequestSchema } from '../../../contract/phones.js';
import { phoneCommon, phoneItemErrors, phoneResponse } from './common.js';

/** PATCH /v1/phone/{phone_id}: the nickname and the agent versions bound to the phone. */
export const updatePhoneRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.patch(
    '/v1/phone/:phone_id',
    {
      onRequest: requireApiKey(deps, 'phones.update', 'update phones'),
      schema: {
        ...phoneCommon,
        summary: 'Update Phone',
        description:
          "Update a phone's configuration (nickname and/or agent assignments).\n\nAgent assignment behavior:\n- Provide `inbound_version_id` to set which agent handles incoming calls\n- Provide `outbound_version_id` to set which agent handles outgoing calls\n- Assigning a version publishes it; if the agent already has a different\npublished version in another phone, the request will fail since an agent\ncan only have one published version at a time.",
        operationId: 'update_phone_v1_phone__phone_id__patch',
        params: Type.Object({ phone_id: Type.String({ format: 'uuid', title: 'Phone Id' }) }),
        body: PhoneUpdateRequestSchema,
        response: {
          200: phoneResponse,
          ...phoneItemErrors,
          400: errorResponse('The draft cannot be bound'),
          409: errorResponse('The agent has another version published on another phone'),
        },
      },
    },
    async (request) =>
      updatePhoneSettings(deps.db, principalOf(request).projectId, request.params.phone_id, {
        ...request.body,
        inbound_version_id: request.body.inbound_version_id,
        outbound_version_id: request.body.outbound_version_id,
      }),
  );
};

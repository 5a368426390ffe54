import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getPhone } from '../../../domain/phones/get-phone.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { phoneCommon, phoneItemErrors, phoneResponse } from './common.js';

/** GET /v1/phone/{phone_id}. */
export const getPhoneRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/phone/:phone_id',
    {
      onRequest: requireApiKey(deps, 'phones.view', 'view phones'),
      schema: {
        ...phoneCommon,
        summary: 'Get Phone',
        description: 'Retrieve one of your phones by its id',
        operationId: 'get_phone_v1_phone__phone_id__get',
        params: Type.Object({
          phone_id: Type.String({
            format: 'uuid',
            title: 'Phone ID',
            description: 'The unique identifier for the phone',
          }),
        }),
        response: { 200: phoneResponse, ...phoneItemErrors },
      },
    },
    async (request) => getPhone(deps.db, principalOf(request).projectId, request.params.phone_id),
  );
};

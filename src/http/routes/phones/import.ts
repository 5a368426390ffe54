import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { importPhone } from '../../../domain/phones/import-phone.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { ImportPhoneRequestSchema } from '../../../contract/phones.js';
import { phoneCommon, phoneResponse } from './common.js';

/** POST /v1/phone/import: a number of the customer's own SIP trunk. */
export const importPhoneRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.post(
    '/v1/phone/import',
    {
      onRequest: requireApiKey(deps, 'phones.import', 'import phones'),
      schema: {
        ...phoneCommon,
        summary: 'Import Phone Number',
        description:
          'Import a phone number from an external SIP provider.\n\nThis endpoint allows you to use your own phone numbers with custom SIP trunks',
        operationId: 'import_phone_number_v1_phone_import_post',
        body: ImportPhoneRequestSchema,
        response: {
          200: phoneResponse,
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          409: errorResponse('The number is already in this project'),
          422: validationErrorResponse,
        },
      },
    },
    async (request) => importPhone(deps.db, principalOf(request).projectId, request.body),
  );
};

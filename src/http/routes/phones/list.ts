import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listPhones } from '../../../domain/phones/list-phones.js';
import { parseInstant } from '../../../kernel/time.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { errorResponse, listErrorResponses } from '../../../contract/errors.js';
import { pageRequestOf, paginationQuery } from '../../../contract/pagination.js';
import { PaginatedPhonesSchema, PhoneRegisterStatusSchema } from '../../../contract/phones.js';
import { phoneCommon } from './common.js';

const optionalInstant = (value: string | undefined) => (value === undefined ? undefined : parseInstant(value));

/** GET /v1/phone/. */
export const listPhonesRoute: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/phone/',
    {
      onRequest: requireApiKey(deps, 'phones.view', 'view phones'),
      schema: {
        ...phoneCommon,
        summary: 'List Phones',
        description: 'Retrieve a list of phones, optionally filtered by agent ID.',
        operationId: 'list_phones_v1_phone__get',
        querystring: Type.Object({
          ...paginationQuery(20),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, title: 'Limit' }),
          inbound_agent_id: Type.Optional(Type.String({ format: 'uuid', title: 'Inbound Agent Id' })),
          outbound_agent_id: Type.Optional(Type.String({ format: 'uuid', title: 'Outbound Agent Id' })),
          status: Type.Optional(Type.Ref(PhoneRegisterStatusSchema)),
          start_assigned_at: Type.Optional(Type.String({ format: 'date-time', title: 'Start Assigned At' })),
          end_assigned_at: Type.Optional(Type.String({ format: 'date-time', title: 'End Assigned At' })),
        }),
        response: {
          200: Type.Ref(PaginatedPhonesSchema, { description: 'Successful Response' }),
          400: errorResponse('Not Valid Field'),
          ...listErrorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return listPhones(deps.db, principalOf(request).projectId, pageRequestOf(q), {
        inboundAgentId: q.inbound_agent_id,
        outboundAgentId: q.outbound_agent_id,
        status: q.status,
        startAssignedAt: optionalInstant(q.start_assigned_at),
        endAssignedAt: optionalInstant(q.end_assigned_at),
      });
    },
  );
};

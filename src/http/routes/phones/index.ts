import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { getPhone } from '../../../domain/phones/get-phone.js';
import { importPhone } from '../../../domain/phones/import-phone.js';
import { listPhones } from '../../../domain/phones/list-phones.js';
import { releasePhone } from '../../../domain/phones/release-phone.js';
import { updatePhoneSettings } from '../../../domain/phones/update-phone.js';
import { parseInstant } from '../../../kernel/time.js';
import { canonicalUuid } from '../../../kernel/uuid.js';
import { principalOf, requireApiKey } from '../../auth.js';
import type { RouteDeps } from '../../route-deps.js';
import { keepKeyOrder } from '../../serialize.js';
import { errorResponse, listErrorResponses, validationErrorResponse } from '../../../contract/errors.js';
import { pageRequestOf, paginationQuery } from '../../../contract/pagination.js';
import {
  ImportPhoneRequestSchema,
  PaginatedPhonesSchema,
  PhoneRegisterResponseSchema,
  PhoneRegisterStatusSchema,
  PhoneUpdateRequestSchema,
} from '../../../contract/phones.js';

const uuid = (value: string) => canonicalUuid(value) as string;
const optionalUuid = (value: string | undefined) => (value === undefined ? undefined : uuid(value));
const optionalInstant = (value: string | undefined) => (value === undefined ? undefined : parseInstant(value));
const itemErrors = {
  401: errorResponse('Invalid Api Key'),
  403: errorResponse('Forbidden - Insufficient permissions'),
  404: errorResponse('Phone Number Not Found'),
  422: validationErrorResponse,
};

/** The phones a call needs: import, list, get, update (name and agent bindings), release. */
export const phoneRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { db } = deps;
  const common = { tags: ['Phones'], security: [{ CustomHTTPBearer: [] }] };
  const phone = Type.Ref(PhoneRegisterResponseSchema, { description: 'Successful Response' });

  app.post(
    '/v1/phone/import',
    {
      onRequest: requireApiKey(deps, 'phones.import', 'import phones'),
      serializerCompiler: keepKeyOrder,
      schema: {
        ...common,
        summary: 'Import Phone Number',
        description:
          'Import a phone number from an external SIP provider.\n\nThis endpoint allows you to use your own phone numbers with custom SIP trunks',
        operationId: 'import_phone_number_v1_phone_import_post',
        body: ImportPhoneRequestSchema,
        response: {
          200: phone,
          401: errorResponse('Invalid Api Key'),
          403: errorResponse('Forbidden - Insufficient permissions'),
          409: errorResponse('The number is already in this project'),
          422: validationErrorResponse,
        },
      },
    },
    async (request) => importPhone(db, principalOf(request).projectId, request.body),
  );

  app.get(
    '/v1/phone/',
    {
      onRequest: requireApiKey(deps, 'phones.view', 'view phones'),
      serializerCompiler: keepKeyOrder,
      schema: {
        ...common,
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
      return listPhones(db, principalOf(request).projectId, pageRequestOf(q), {
        inboundAgentId: optionalUuid(q.inbound_agent_id),
        outboundAgentId: optionalUuid(q.outbound_agent_id),
        status: q.status,
        startAssignedAt: optionalInstant(q.start_assigned_at),
        endAssignedAt: optionalInstant(q.end_assigned_at),
      });
    },
  );

  const phoneIdParams = Type.Object({
    phone_id: Type.String({
      format: 'uuid',
      title: 'Phone ID',
      description: 'The unique identifier for the phone',
    }),
  });

  app.get(
    '/v1/phone/:phone_id',
    {
      onRequest: requireApiKey(deps, 'phones.view', 'view phones'),
      serializerCompiler: keepKeyOrder,
      schema: {
        ...common,
        summary: 'Get Phone',
        description: 'Retrieve one of your phones by its id',
        operationId: 'get_phone_v1_phone__phone_id__get',
        params: phoneIdParams,
        response: { 200: phone, ...itemErrors },
      },
    },
    async (request) => getPhone(db, principalOf(request).projectId, uuid(request.params.phone_id)),
  );

  app.patch(
    '/v1/phone/:phone_id',
    {
      onRequest: requireApiKey(deps, 'phones.update', 'update phones'),
      serializerCompiler: keepKeyOrder,
      schema: {
        ...common,
        summary: 'Update Phone',
        description:
          "Update a phone's configuration (nickname and/or agent assignments).\n\nAgent assignment behavior:\n- Provide `inbound_version_id` to set which agent handles incoming calls\n- Provide `outbound_version_id` to set which agent handles outgoing calls\n- Assigning a version publishes it; if the agent already has a different\npublished version in another phone, the request will fail since an agent\ncan only have one published version at a time.",
        operationId: 'update_phone_v1_phone__phone_id__patch',
        params: Type.Object({ phone_id: Type.String({ format: 'uuid', title: 'Phone Id' }) }),
        body: PhoneUpdateRequestSchema,
        response: {
          200: phone,
          ...itemErrors,
          400: errorResponse('The draft cannot be bound'),
          409: errorResponse('The agent has another version published on another phone'),
        },
      },
    },
    async (request) =>
      updatePhoneSettings(db, principalOf(request).projectId, uuid(request.params.phone_id), {
        ...request.body,
        inbound_version_id: optionalNullableUuid(request.body.inbound_version_id),
        outbound_version_id: optionalNullableUuid(request.body.outbound_version_id),
      }),
  );

  app.delete(
    '/v1/phone/:id',
    {
      onRequest: requireApiKey(deps, 'phones.delete', 'delete phones'),
      schema: {
        ...common,
        summary: 'Release Phone Number',
        description:
          'Release a phone number.\n\n- For custom (imported) numbers: Deletes it automatically. Calls made with it keep its id.',
        operationId: 'release_phone_number_v1_phone__id__delete',
        params: Type.Object({ id: Type.String({ format: 'uuid', title: 'Id' }) }),
        response: { 204: Type.Null({ description: 'Successful Response' }), ...itemErrors },
      },
    },
    async (request, reply) => {
      await releasePhone(db, principalOf(request).projectId, uuid(request.params.id));
      return reply.code(204).send(null);
    },
  );
};

function optionalNullableUuid(value: string | null | undefined): string | null | undefined {
  return value === undefined || value === null ? value : uuid(value);
}

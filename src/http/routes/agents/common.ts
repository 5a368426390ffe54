import { Type } from '@sinclair/typebox';
import { errorResponse, validationErrorResponse } from '../../../contract/errors.js';
import { AgentModeSchema, AgentResponseSchema } from '../../../contract/agents.js';
import { paginationQuery } from '../../../contract/pagination.js';

export const agentCommon = { tags: ['Agents'], security: [{ CustomHTTPBearer: [] }] };

/** The body of the operations that answer one agent (as one of its versions). */
export const agentResponse = Type.Ref(AgentResponseSchema, { description: 'Successful Response' });

export const agentErrorResponses = {
  400: errorResponse('Bad request - Invalid parameters'),
  401: errorResponse('Invalid Api Key'),
  403: errorResponse('Forbidden - Insufficient permissions'),
  404: errorResponse('Agent Not Found'),
  422: validationErrorResponse,
  500: errorResponse('Internal Server Error'),
};

/** The query of GET /v1/agent/ and GET /v1/agent/{id}/version: pagination and two filters. */
export const agentListQuery = Type.Object({
  ...paginationQuery(10),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 10, title: 'Limit' }),
  mode: Type.Optional(Type.Ref(AgentModeSchema)),
  is_published: Type.Boolean({ default: false, title: 'Is Published' }),
});

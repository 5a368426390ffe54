import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum } from '../kernel/typebox.js';
import { CallToolNameValues, MessageRoleValues, ToolCallStatusValues } from './events.js';
import { paginated } from './pagination.js';

/** MessageResponse and the tool-call schemas it embeds, as in spec/diga-openapi-subset.json. */
const toolStatus = StringEnum(ToolCallStatusValues, {
  title: 'Status',
  description: 'The status of the function call, which can be `started`, `error`, `success` or `cancelled`.',
});

export const FunctionSchema = Type.Object(
  {
    function_name: Type.String({ title: 'Function Name', description: 'The name of the function to call.' }),
    payload: Type.Object(
      {},
      {
        additionalProperties: true,
        title: 'Payload',
        description: 'The payload to pass to the function during the call.',
      },
    ),
    status: toolStatus,
    type: Type.Literal('function', { title: 'Type', default: 'function' }),
  },
  { $id: 'FunctionSchema', title: 'FunctionSchema' },
);

export const CallToolSchema = Type.Object(
  {
    tool_name: StringEnum(CallToolNameValues, { title: 'Tool Name', description: 'The name of the tool to call.' }),
    payload: Type.Object(
      {},
      {
        additionalProperties: true,
        title: 'Payload',
        description: 'Information that has been important during the tool call.',
      },
    ),
    type: Type.Literal('call_tool', { title: 'Type', default: 'call_tool' }),
    status: toolStatus,
  },
  { $id: 'CallToolSchema', title: 'CallToolSchema' },
);

export const MessageRoleSchema = StringEnum(MessageRoleValues, { $id: 'MessageRole', title: 'MessageRole' });

export const MessageResponseSchema = Type.Object(
  {
    id: Type.String({
      format: 'uuid',
      title: 'Message ID',
      description: 'The unique identifier for the message',
    }),
    created_date: Type.String({
      format: 'date-time',
      title: 'Created Date',
      description: 'The datetime when the message was created during the call',
    }),
    role: Type.Ref(MessageRoleSchema, {
      title: 'Role',
      description: 'The role associated with the message. It can be `assistant`, `user` or `tool`.',
    }),
    content: Type.Optional(
      Nullable(Type.String(), {
        title: 'Content',
        description: 'The content of the message. That is, the message said by the user or the assistant.',
      }),
    ),
    tool_call: Type.Optional(
      Type.Union([Type.Ref(FunctionSchema), Type.Ref(CallToolSchema), Type.Null()], {
        title: 'Tool Call',
        description: 'The tool call information if the message is a tool call.',
      }),
    ),
  },
  { $id: 'MessageResponse', title: 'MessageResponse' },
);

export const PaginatedMessagesSchema = paginated(MessageResponseSchema, 'MessageResponse');

export const messageSchemas = [
  FunctionSchema,
  CallToolSchema,
  MessageRoleSchema,
  MessageResponseSchema,
  PaginatedMessagesSchema,
];

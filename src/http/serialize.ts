import type { FastifyReply, FastifySerializerCompiler } from 'fastify';

/**
 * A serializer that writes a body's keys in the order the domain built them, which is the
 * contract's (pydantic's) order. Fastify's schema serializer would move required keys first.
 * The route's response schemas still document the bodies, and the tests validate against them.
 */
export const keepKeyOrder: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

/** The content type of every JSON answer, the stored views' included. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Sends JSON that is already text (a stored view) as it is: Fastify sends a string with a JSON
 * content type without serializing it again.
 */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type(JSON_CONTENT_TYPE).send(json);
}

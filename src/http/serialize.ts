import type { FastifyReply } from 'fastify';

/** The content type of every JSON answer, the stored views' included. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Sends JSON that is already text (a stored view) as it is: Fastify sends a string with a JSON
 * content type without serializing it again.
 */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type(JSON_CONTENT_TYPE).send(json);
}

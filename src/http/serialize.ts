import type { FastifyReply } from 'fastify';

/**
 * Sends JSON that is already text (a stored view) as it is: Fastify sends a string with a JSON
 * content type without serializing it again.
 */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

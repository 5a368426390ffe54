import type { FastifySerializerCompiler } from 'fastify';

/**
 * A serializer that writes a body's keys in the order the domain built them, which is the
 * contract's (pydantic's) order. Fastify's schema serializer would move required keys first.
 * The route's response schemas still document the bodies, and the tests validate against them.
 */
export const keepKeyOrder: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

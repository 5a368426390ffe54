import type { FastifyInstance } from 'fastify';
import { errors } from '../kernel/errors.js';

/**
 * While the server shuts down, requests that still arrive on open keep-alive connections get a
 * 503 in Diga's envelope with `Connection: close` (Fastify's own answer is another shape), so
 * clients retry elsewhere; requests already being served finish normally. Returns whether the
 * server is closing.
 */
export function registerDraining(app: FastifyInstance): () => boolean {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close');
    done(errors.serviceUnavailable('The server is shutting down; retry the request'));
  });
  return () => closing;
}

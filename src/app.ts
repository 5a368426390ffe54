import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { registerErrorHandler } from './http/error-handler.js';
import { registerNotFound } from './http/not-found.js';
import { registerOpenApi } from './http/openapi.js';
import { callRoutes } from './http/routes/calls/index.js';
import { healthRoutes } from './http/routes/health.js';
import { internalRoutes } from './http/routes/internal/index.js';
import { callSchemas } from './http/schemas/calls.js';
import { errorSchemas } from './http/schemas/errors.js';
import { createValidatorCompiler } from './http/validation.js';
import type { Db } from './store/database.js';
import { VERSION } from './version.js';

export interface AppDeps {
  db: Db;
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The HTTP application over a store. Never listens: main.ts and tests decide that. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    // Long enough for any id a client may send, so a bad one is a 422 and not a 404.
    routerOptions: { maxParamLength: 4096 },
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const shared = [...errorSchemas, ...callSchemas];
  for (const schema of shared) app.addSchema(schema);
  app.setValidatorCompiler(createValidatorCompiler(shared));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandler(app);
  registerNotFound(app);
  await registerOpenApi(app, VERSION);

  const routeDeps = { db: deps.db };
  await app.register(callRoutes, routeDeps);
  await app.register(internalRoutes, routeDeps);
  await app.register(healthRoutes, routeDeps);
  return app;
}

import type { FastifyInstance } from 'fastify';
import { contractSchemas } from '../contract/index.js';
import { serializerFor } from '../kernel/json-serializer.js';
import { VERSION } from '../kernel/version.js';
import { registerCors } from './cors.js';
import { registerDraining } from './draining.js';
import { registerErrorHandler } from './error-handler.js';
import { registerJsonParser } from './json-body.js';
import { loggableUrl } from './loggable-url.js';
import { registerNotFound } from './not-found.js';
import { registerOpenApi } from './openapi.js';
import type { ResponseHeaders } from './response-headers.js';
import { createValidatorCompiler } from './validation.js';

/**
 * What every route of the API shares, registered before any route: the contract's schemas
 * (validating requests, serializing responses in the contract's key order, documenting both),
 * one access-log line per request, the response headers, draining, the one error handler,
 * 404/405/307, CORS, the JSON parser and the OpenAPI document. Returns whether the server is
 * closing (the fast path asks too).
 */
export async function registerConventions(
  app: FastifyInstance,
  options: { setResponseHeaders: ResponseHeaders; corsOrigins: ReadonlySet<string> },
): Promise<() => boolean> {
  for (const schema of contractSchemas) app.addSchema(schema);
  app.setValidatorCompiler(createValidatorCompiler(contractSchemas));
  app.setSerializerCompiler(({ schema }) => serializerFor(schema as object, contractSchemas));

  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        url: loggableUrl(request.url),
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    done();
  });
  app.addHook('onRequest', (request, reply, done) => {
    options.setResponseHeaders(request, reply);
    done();
  });
  const closing = registerDraining(app);
  registerErrorHandler(app);
  registerNotFound(app);
  registerCors(app, options.corsOrigins);
  registerJsonParser(app);
  await registerOpenApi(app, VERSION);
  return closing;
}

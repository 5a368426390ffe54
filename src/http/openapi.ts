import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI 3.1 document, generated from the route schemas (GET /openapi.json), and an
 * interactive reference (GET /docs). Shared schemas keep their names under components.schemas,
 * as in Diga's own document. Register before the routes.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Diga API',
        version,
        description:
          "Diga's calls API: read what happened on every call your voice agents answered or placed. The `Internal: voice runtime` operations are for the voice runtime, authenticated with a runtime token.",
      },
      servers: [],
      tags: [
        { name: 'Calls', description: 'Calls your agents answered or placed' },
        { name: 'Internal: voice runtime', description: 'How the voice runtime reports call events (runtime token)' },
        { name: 'Operations', description: 'Liveness and readiness probes' },
      ],
      components: {
        securitySchemes: {
          CustomHTTPBearer: { type: 'http', scheme: 'bearer' },
          RuntimeToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'A runtime token (`rt-…`), never a project API key',
          },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

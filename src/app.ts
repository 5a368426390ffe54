import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { registerErrorHandler, sendApiError } from './http/error-handler.js';
import { ApiError } from './kernel/errors.js';
import { registerNotFound } from './http/not-found.js';
import { registerOpenApi } from './http/openapi.js';
import { callRoutes } from './http/routes/calls/index.js';
import { healthRoutes } from './http/routes/operations/index.js';
import { internalRoutes } from './http/routes/internal/index.js';
import { recordingRoutes } from './http/routes/recordings/index.js';
import { apiKeyRoutes } from './http/routes/api-keys/index.js';
import { webhookRoutes } from './http/routes/webhooks/index.js';
import { webhookSchemas } from './contract/webhooks.js';
import { agentSchemas } from './contract/agents.js';
import { phoneSchemas } from './contract/phones.js';
import { agentRoutes } from './http/routes/agents/index.js';
import { phoneRoutes } from './http/routes/phones/index.js';
import { DeliveryWorker, type DeliveryOptions } from './domain/webhooks/delivery-worker.js';
import { Maintenance } from './domain/dialing/maintenance.js';
import { systemResolver, type Resolver, type UrlPolicy } from './domain/webhooks/url-policy.js';
import { callSchemas } from './contract/calls.js';
import { errorSchemas } from './contract/errors.js';
import { messageSchemas } from './contract/messages.js';
import { recordingSchemas } from './contract/recordings.js';
import { apiKeySchemas } from './contract/api-keys.js';
import { createValidatorCompiler } from './http/validation.js';
import { serializerFor } from './kernel/json-serializer.js';
import { CredentialCache } from './domain/api-keys/credential-cache.js';
import { RecordingLinks } from './domain/recordings/links.js';
import type { BlobStore } from './store/blobs/blob-store.js';
import type { RouteDeps } from './http/route-deps.js';
import type { Db } from './store/database.js';
import { VERSION } from './kernel/version.js';
import { nowMicros, type Micros } from './kernel/time.js';
import type { HttpLimits } from './config.js';
import { clientErrorHandler, refuseConnect } from './http/client-errors.js';
import { loggableUrl } from './http/loggable-url.js';
import { registerCors } from './http/cors.js';
import { registerDraining } from './http/draining.js';
import { registerJsonParser } from './http/json-body.js';
import { responseHeaders, securityHeaders } from './http/response-headers.js';
import { callFastPath, type FastPath } from './http/call-fast-path.js';
import { requestIdOf } from './http/request-id.js';
import { RateLimits } from './domain/rate-limits/rate-limits.js';
import { DialSignal } from './domain/dialing/dial-jobs.js';
import { DEFAULT_DIALING, type DialingOptions } from './domain/dialing/settings.js';

export interface AppDeps {
  db: Db;
  /** How long a verified API key is trusted without a store lookup (0: always look up). */
  credentialCacheTtlMs?: number;
  /** Changes whenever another process writes the store (SQLite), so cached keys are re-checked. */
  storeGeneration?: () => number;
  /**
   * The time credentials and dial leases are judged by; the system clock when absent. Tests move
   * it forward to see a cached key go stale, a key expire or a lease run out without waiting.
   */
  clock?: () => Micros;
  logger?: FastifyServerOptions['logger'];
  bodyLimit?: number;
  /** Node's own limits on connections; Node's defaults when absent. */
  http?: HttpLimits;
  /** Origins allowed to call from a browser; absent or empty: CORS closed. */
  corsOrigins?: ReadonlySet<string>;
  /** Clients reach the service over https: send Strict-Transport-Security. */
  hsts?: boolean;
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Absent: no rate limits (tests that are not about them). */
  rateLimits?: RateLimits;
  recordings: {
    blobs: BlobStore;
    maxBytes?: number;
    urlTtlSeconds?: number;
    publicUrl?: string;
  };
  concurrencyIntervalMs?: number;
  /** How often finished dial jobs and expired Idempotency-Keys are purged; default a minute. */
  maintenanceIntervalMs?: number;
  /** Outbound calls; DEFAULT_DIALING when absent. */
  dialing?: Partial<DialingOptions>;
  /** Answer GET /v1/call/{id}'s common case before Fastify (call-fast-path.ts); default true. */
  fastPath?: boolean;
  webhooks?: {
    policy?: UrlPolicy;
    resolve?: Resolver;
    /** Given: this process runs a delivery worker over the outbox while the app is open. */
    delivery?: Omit<DeliveryOptions, 'policy' | 'resolve' | 'onError'>;
  };
}

/** The HTTP application over a store. Never listens: main.ts and tests decide that. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const setResponseHeaders = responseHeaders({ hsts: deps.hsts ?? false });
  // Set once the routes' dependencies and the logger exist; until then Fastify serves everything.
  let fastPath: FastPath = (request, response, fastify) => fastify(request, response);
  const app = Fastify({
    serverFactory: (handler, options) =>
      httpServer(options, (request, response) => fastPath(request, response, handler)),
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    ...connectionLimits(deps.http),
    clientErrorHandler,
    // Answered by registerDraining, in the envelope.
    return503OnClosing: false,
    // A URL whose percent-encoding does not decode never reaches routing or the error handler.
    frameworkErrors: (_error, request, reply) => {
      setResponseHeaders(request, reply);
      return sendApiError(reply, new ApiError(400, 'BAD_REQUEST', 'Malformed percent-encoding in the URL'));
    },
    trustProxy: deps.trustProxy ?? false,
    // Long enough for any id a client may send, so a bad one is a 422 and not a 404.
    routerOptions: { maxParamLength: 4096 },
    requestIdHeader: false,
    // One access-log line per request, written by the onResponse hook below (Fastify writes two).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.server.on('connect', refuseConnect);

  const shared = [
    ...errorSchemas,
    ...callSchemas,
    ...messageSchemas,
    ...recordingSchemas,
    ...apiKeySchemas,
    ...webhookSchemas,
    ...agentSchemas,
    ...phoneSchemas,
  ];
  for (const schema of shared) app.addSchema(schema);
  app.setValidatorCompiler(createValidatorCompiler(shared));
  // The response schemas serialize the bodies (json-serializer.ts keeps the contract's key order).
  app.setSerializerCompiler(({ schema }) => serializerFor(schema as object, shared));

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
    setResponseHeaders(request, reply);
    done();
  });
  const closing = registerDraining(app);
  registerErrorHandler(app);
  registerNotFound(app);
  registerCors(app, deps.corsOrigins ?? new Set());
  registerJsonParser(app);
  await registerOpenApi(app, VERSION);

  const routeDeps: RouteDeps = {
    db: deps.db,
    blobs: deps.recordings.blobs,
    clock: deps.clock ?? nowMicros,
    credentialCache: new CredentialCache(deps.credentialCacheTtlMs ?? 1000, deps.storeGeneration),
    rateLimits: deps.rateLimits ?? RateLimits.none(),
    recordings: {
      links: await RecordingLinks.load(deps.db, deps.recordings.urlTtlSeconds ?? 3600),
      maxBytes: deps.recordings.maxBytes ?? 100 * 1024 * 1024,
      publicUrl: deps.recordings.publicUrl,
    },
    streams: new Set(),
    concurrencyIntervalMs: deps.concurrencyIntervalMs ?? 5000,
    webhookTargets: {
      policy: deps.webhooks?.policy ?? { allowHttp: false, allowedHosts: new Set() },
      resolve: deps.webhooks?.resolve ?? systemResolver,
    },
    dialing: { ...DEFAULT_DIALING, ...deps.dialing },
    dialSignal: new DialSignal(),
  };
  if (deps.fastPath ?? true) {
    fastPath = callFastPath(routeDeps, {
      log: app.log,
      headers: securityHeaders({ hsts: deps.hsts ?? false }),
      closing,
      behindProxy: (deps.trustProxy ?? false) !== false,
    });
  }
  const delivery = deps.webhooks?.delivery;
  if (delivery !== undefined) {
    const worker = new DeliveryWorker(deps.db, {
      ...delivery,
      ...routeDeps.webhookTargets,
      onError: (error, context) => app.log.warn({ err: error }, context),
    });
    app.addHook('onReady', (done) => {
      worker.start();
      done();
    });
    app.addHook('onClose', () => worker.stop());
  }
  const maintenance = new Maintenance(deps.db, deps.maintenanceIntervalMs ?? 60_000, (error) =>
    app.log.warn({ err: error }, 'purge of expired dial jobs and Idempotency-Keys'),
  );
  app.addHook('onReady', (done) => {
    maintenance.start();
    done();
  });
  app.addHook('onClose', () => maintenance.stop());
  // Open event streams would keep their connections (and close()) waiting forever.
  app.addHook('preClose', (done) => {
    for (const end of routeDeps.streams) end();
    done();
  });
  await app.register(callRoutes, routeDeps);
  await app.register(recordingRoutes, routeDeps);
  await app.register(apiKeyRoutes, routeDeps);
  await app.register(webhookRoutes, routeDeps);
  await app.register(agentRoutes, routeDeps);
  await app.register(phoneRoutes, routeDeps);
  await app.register(internalRoutes, routeDeps);
  await app.register(healthRoutes, routeDeps);
  return app;
}

/**
 * The HTTP server Fastify would make (fastify/lib/server.js, HTTP/1.1 without TLS: the only
 * kind this service serves), with `listener` in front of Fastify's handler.
 */
function httpServer(options: FastifyServerOptions & { http?: ServerOptions }, listener: RequestListener): Server {
  const server = createServer(options.http ?? {}, listener);
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
  if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
  if (options.maxRequestsPerSocket !== undefined && options.maxRequestsPerSocket > 0) {
    server.maxRequestsPerSocket = options.maxRequestsPerSocket;
  }
  return server;
}

/** Fastify's and Node's options for the limits in HttpLimits. */
function connectionLimits(limits: HttpLimits | undefined): {
  requestTimeout?: number;
  keepAliveTimeout?: number;
  maxRequestsPerSocket?: number;
  http?: ServerOptions;
} {
  if (limits === undefined) return {};
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    http: {
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      maxHeaderSize: limits.maxHeaderBytes,
      // Node checks the two timeouts above only this often (30 s by default).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, limits.headersTimeoutMs / 4)),
    },
  };
}

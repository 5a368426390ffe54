import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errors } from './kernel/errors.js';
import { sendApiError } from './http/error-handler.js';
import { registerConventions } from './http/conventions.js';
import { apiRoutes } from './http/routes/index.js';
import { DeliveryWorker, type DeliveryOptions } from './domain/webhooks/delivery-worker.js';
import { Maintenance } from './domain/dialing/maintenance.js';
import { systemResolver, type Resolver, type UrlPolicy } from './domain/webhooks/url-policy.js';
import { CredentialCache } from './domain/api-keys/credential-cache.js';
import { RecordingLinks } from './domain/recordings/links.js';
import type { BlobStore } from './store/blobs/blob-store.js';
import type { RouteDeps } from './http/route-deps.js';
import type { Db } from './store/database.js';
import { nowMicros, type Micros } from './kernel/time.js';
import type { HttpLimits } from './config.js';
import { clientErrorHandler, refuseConnect } from './http/client-errors.js';
import { responseHeaders, securityHeaders } from './http/response-headers.js';
import { callFastPath, type FastPath } from './http/call-fast-path.js';
import { registerBodyDeadline, type BodyDeadline } from './http/body-deadline.js';
import { requestIdOf } from './http/request-id.js';
import { loggableError } from './http/loggable-error.js';
import { loggableRequest } from './http/loggable-url.js';
import { RateLimits } from './domain/rate-limits/rate-limits.js';
import { DialSignal } from './domain/dialing/dial-jobs.js';
import { DEFAULT_DIALING, type DialingOptions } from './domain/dialing/settings.js';
import { ConcurrencyFeed } from './domain/calls/concurrency-feed.js';
import { StreamSlots, type StreamLimits } from './domain/calls/stream-slots.js';

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
  /** How long a request body may take to arrive (body-deadline.ts); its defaults when absent. */
  bodyDeadline?: BodyDeadline;
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
  /** Concurrency streams: open at once per key (5) and per project (20), and their lifetime (15 min). */
  streams?: Partial<StreamLimits & { maxLifetimeMs: number }>;
  /** How often finished dial jobs and expired Idempotency-Keys are purged; default a minute. */
  maintenanceIntervalMs?: number;
  /** Outbound calls; DEFAULT_DIALING when absent. */
  dialing?: Partial<DialingOptions>;
  /** Answer GET /v1/call/{id}'s common case before Fastify (call-fast-path.ts); default true. */
  fastPath?: boolean;
  webhooks?: {
    policy?: UrlPolicy;
    resolve?: Resolver;
    /** Webhooks a project may have (default 20). */
    maxPerProject?: number;
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
    logger: withRedaction(deps.logger ?? false),
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    ...connectionLimits(deps.http),
    clientErrorHandler,
    // Answered by registerDraining, in the envelope.
    return503OnClosing: false,
    // A URL whose percent-encoding does not decode never reaches routing or the error handler.
    frameworkErrors: (_error, request, reply) => {
      setResponseHeaders(request, reply);
      return sendApiError(reply, errors.badRequest(400, 'Malformed percent-encoding in the URL'));
    },
    trustProxy: deps.trustProxy ?? false,
    // Long enough for any id a client may send, so a bad one is a 422 and not a 404.
    routerOptions: { maxParamLength: 4096 },
    requestIdHeader: false,
    // One access-log line per request, written by the onResponse hook (Fastify writes two).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.server.on('connect', refuseConnect);
  const closing = await registerConventions(app, { setResponseHeaders, corsOrigins: deps.corsOrigins ?? new Set() });
  registerBodyDeadline(app, deps.bodyDeadline);
  const routeDeps = await routeDepsOf(deps, app.log);
  if (deps.fastPath ?? true) {
    fastPath = callFastPath(routeDeps, {
      log: app.log,
      headers: securityHeaders({ hsts: deps.hsts ?? false }),
      closing,
      behindProxy: (deps.trustProxy ?? false) !== false,
    });
  }
  runWorkers(app, deps, routeDeps);
  await app.register(apiRoutes, routeDeps);
  return app;
}

/**
 * The logger options with serializers that clear credentials from logged errors and requests
 * (loggable-error.ts, loggable-url.ts), whatever serializers the caller gave: the access log's
 * URLs and request ids are cleared where they are made (conventions.ts, request-id.ts).
 */
function withRedaction(logger: NonNullable<AppDeps['logger']>): AppDeps['logger'] {
  if (logger === false) return false;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, err: loggableError, req: loggableRequest } };
}

/** What the routes are given: the domain's context and what this app keeps for them. */
async function routeDepsOf(deps: AppDeps, log: FastifyBaseLogger): Promise<RouteDeps> {
  return {
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
    concurrency: {
      feed: ConcurrencyFeed.overStore(deps.db, deps.concurrencyIntervalMs ?? 5000, (error) =>
        log.warn({ err: error }, 'concurrency count failed'),
      ),
      slots: new StreamSlots({ perKey: deps.streams?.perKey ?? 5, perProject: deps.streams?.perProject ?? 20 }),
      maxLifetimeMs: deps.streams?.maxLifetimeMs ?? 15 * 60_000,
    },
    webhookTargets: {
      policy: deps.webhooks?.policy ?? { allowHttp: false, allowedHosts: new Set() },
      resolve: deps.webhooks?.resolve ?? systemResolver,
    },
    maxWebhooksPerProject: deps.webhooks?.maxPerProject ?? 20,
    dialing: { ...DEFAULT_DIALING, ...deps.dialing },
    dialSignal: new DialSignal(),
  };
}

/**
 * The app's background work, started when it is ready and stopped when it closes: webhook
 * delivery (when asked for), the purge of finished dial jobs and expired Idempotency-Keys, and
 * the end of open event streams, which would otherwise keep close() waiting forever.
 */
function runWorkers(app: FastifyInstance, deps: AppDeps, routeDeps: RouteDeps): void {
  const delivery = deps.webhooks?.delivery;
  const workers: { start(): void; stop(): Promise<void> | void }[] = [];
  if (delivery !== undefined) {
    workers.push(
      new DeliveryWorker(deps.db, {
        ...delivery,
        ...routeDeps.webhookTargets,
        onError: (error, context) => app.log.warn({ err: error }, context),
      }),
    );
  }
  workers.push(
    new Maintenance(deps.db, deps.maintenanceIntervalMs ?? 60_000, (error) =>
      app.log.warn({ err: error }, 'purge of expired dial jobs and Idempotency-Keys'),
    ),
  );
  app.addHook('onReady', (done) => {
    for (const worker of workers) worker.start();
    done();
  });
  app.addHook('onClose', async () => {
    for (const worker of workers) await worker.stop();
  });
  app.addHook('preClose', (done) => {
    for (const end of routeDeps.streams) end();
    done();
  });
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

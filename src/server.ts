import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { DirectoryBlobStore } from './store/blobs/directory-store.js';
import { servingRisks, type Config } from './config.js';
import { bootstrapEmptyStore, type Bootstrap } from './domain/projects/projects.js';
import { useSecretPepper } from './domain/api-keys/secrets.js';
import type { Store } from './store/database.js';
import { openStore } from './store/open-store.js';
import { migrateToLatest, pendingMigrations } from './store/migrate.js';
import { RateLimits } from './domain/rate-limits/rate-limits.js';
import { stdoutLog } from './kernel/turn-buffered-stream.js';
import { capConnections, connectionCapsFor } from './http/connection-caps.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  address: string;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes the store. */
  stop(): Promise<void>;
}

/** config → store → migrate → bootstrap → app → listen. */
export async function startServer(config: Config, out: NodeJS.WritableStream = process.stdout): Promise<RunningServer> {
  // Settings production must not run without stop the start here, before the store is opened.
  const risks = servingRisks(config);
  // Errors on idle pooled connections (a restarted database, say) are logged, never fatal.
  useSecretPepper(config.secretPepper);
  let logPoolError = (error: Error) => process.stderr.write(`diga-api: store connection error: ${error.message}\n`);
  const store = openStore(config.databaseUrl, {
    poolSize: config.poolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    onPoolError: (error) => logPoolError(error),
  });
  try {
    if (config.autoMigrate) await migrateToLatest(store.db);
    const pending = await pendingMigrations(store.db);
    if (pending.length > 0) {
      throw new Error(
        `The store lacks migrations ${pending.join(', ')}: run \`diga-api migrate\` first (or set DIGA_AUTO_MIGRATE=true).`,
      );
    }
    const created = config.bootstrap ? await bootstrapEmptyStore(store.db) : undefined;

    const blobs = new DirectoryBlobStore(config.recordingsDir);
    const leftovers = await blobs.removeUnfinishedPuts(config.http.requestTimeoutMs);
    const app = await buildApp({
      db: store.db,
      storeGeneration: store.generation,
      bodyLimit: config.bodyLimit,
      bodyDeadline: config.bodyDeadline,
      http: config.http,
      corsOrigins: config.corsOrigins,
      hsts: config.publicUrl?.startsWith('https:') ?? false,
      trustProxy: config.trustProxy,
      rateLimits: RateLimits.forStore(config.rateLimits, store),
      recordings: {
        blobs,
        maxBytes: config.recordingMaxBytes,
        urlTtlSeconds: config.recordingUrlTtlSeconds,
        publicUrl: config.publicUrl,
      },
      concurrencyIntervalMs: config.concurrencyIntervalMs,
      streams: config.streams,
      dialing: config.dialing,
      webhooks: {
        policy: { allowHttp: config.webhooks.allowHttp, allowedHosts: config.webhooks.allowedHosts },
        maxPerProject: config.webhooks.maxPerProject,
        delivery: config.webhooks.worker ? config.webhooks : undefined,
      },
      logger: {
        level: config.logLevel,
        // The lines of one event-loop turn in one write (turn-buffered-stream.ts).
        stream: stdoutLog(),
        redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      },
    });
    logPoolError = (error) => {
      const { message, code } = error as Error & { code?: string };
      app.log.warn({ err: { message, code } }, 'store connection error');
      return true;
    };
    const connections = connectionCapsFor(config.connections, {
      poolSize: config.poolSize,
      behindProxy: config.trustProxy !== false,
    });
    capConnections(app.server, connections);
    const address = await app.listen({ host: config.host, port: config.port });
    if (created) out.write(firstStartBanner(created, address));
    if (leftovers > 0)
      app.log.warn({ removed: leftovers }, 'removed recording uploads an earlier process left unfinished');
    app.log.info({ store: store.description, connections }, 'diga-api ready');
    for (const risk of risks) app.log.warn(risk);
    if (config.secretPepper === undefined && store.dialect === 'postgres') {
      app.log.warn('DIGA_SECRET_PEPPER is not set: credentials are stored as plain SHA-256 digests (docs/SECURITY.md)');
    }

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        const grace = setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceMs);
        grace.unref();
        app.server.closeIdleConnections();
        await app.close();
        clearTimeout(grace);
        await store.close();
      })());
    return { app, store, address, stop };
  } catch (error) {
    await store.close();
    throw error;
  }
}

function firstStartBanner({ project, apiKey, runtimeToken }: Bootstrap, address: string): string {
  return [
    '',
    'diga-api: this store was empty, so it now has a project, an API key and a runtime token.',
    'The key and the token are shown this once; only their hashes are kept.',
    '',
    `  project        ${project.id}  (${project.name})`,
    `  API key        ${apiKey.value}`,
    `  runtime token  ${runtimeToken.value}`,
    '',
    'Fill it with simulated calls:   npx diga-api demo --calls 1000',
    'Then read one:',
    `  curl -H "Authorization: Bearer ${apiKey.value}" ${address}/v1/call/<call id>`,
    '',
  ].join('\n');
}

/**
 * Serves until SIGTERM or SIGINT, then shuts down gracefully: what `npm start` and
 * `diga-api serve` both do. Rejects if the server cannot start or cannot shut down cleanly.
 */
export async function serveUntilSignal(config: Config): Promise<void> {
  const server = await startServer(config);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  server.app.log.info({ signal }, 'shutting down');
  await server.stop();
}

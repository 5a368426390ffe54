import { ConfigError, loadConfig } from './config.js';
import { startServer } from './server.js';

/** `npm start`: serve the API until SIGTERM or SIGINT, then shut down gracefully. */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  const shutdown = (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`diga-api: ${message}\n`);
  process.exit(1);
});

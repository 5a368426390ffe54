import { loadConfig } from './config.js';
import { serveUntilSignal } from './server.js';

/** `npm start`: serve the API until SIGTERM or SIGINT, then shut down gracefully. */
Promise.resolve()
  .then(() => serveUntilSignal(loadConfig()))
  .then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`diga-api: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );

import type { Config } from '../config.js';
import type { Store } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { openStore } from '../store/open-store.js';

/** What a command is given: its arguments, the configuration, where to write. */
export interface CommandContext {
  args: string[];
  options: Record<string, string | boolean | undefined>;
  config: Config;
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream };
  json: boolean;
}

export type Command = (context: CommandContext) => Promise<number>;

/** Runs `run` over the configured store (migrated first when `migrate` and allowed), then closes it. */
export async function withStore(
  ctx: CommandContext,
  migrate: boolean,
  run: (store: Store) => Promise<number>,
): Promise<number> {
  const store = openStore(ctx.config.databaseUrl, { poolSize: 2 });
  try {
    if (migrate && ctx.config.autoMigrate) await migrateToLatest(store.db);
    return await run(store);
  } finally {
    await store.close();
  }
}

/** Prints `value` as one JSON line with --json, else `text()`. */
export function print(ctx: CommandContext, value: object, text: () => string): number {
  ctx.io.out.write(ctx.json ? `${JSON.stringify(value)}\n` : `${text()}\n`);
  return 0;
}

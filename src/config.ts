/**
 * The only module that reads the environment. Parsed once at start; a bad value stops the
 * process with a message naming the variable. Every key is listed in .env.example and README.
 */
export interface Config {
  host: string;
  port: number;
  databaseUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Apply pending migrations at start: by default for the embedded SQLite store only. */
  autoMigrate: boolean;
  /** PostgreSQL connections per process. */
  poolSize: number;
  /** Longest a PostgreSQL statement may run, in milliseconds. */
  statementTimeoutMs: number;
  /** Longest a request waits for a PostgreSQL connection, in milliseconds. */
  connectTimeoutMs: number;
  /** Create the Default project, a key and a runtime token when the store is empty. */
  bootstrap: boolean;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** How long SIGTERM waits for in-flight requests before closing, in milliseconds. */
  shutdownGraceMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const DEFAULT_DATABASE_URL = './data/diga.db';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DIGA_DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  const postgres = /^postgres(ql)?:\/\//i.test(databaseUrl);
  return {
    host: env.HOST?.trim() || '127.0.0.1',
    port: integer(env, 'PORT', 8000, 0, 65535),
    databaseUrl,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    // A shared production database is migrated deliberately (diga-api migrate), not by whichever
    // instance starts first; the embedded store has no one else to do it.
    autoMigrate: boolean(env, 'DIGA_AUTO_MIGRATE', !postgres),
    poolSize: integer(env, 'DIGA_PG_POOL_SIZE', 10, 1, 1000),
    statementTimeoutMs: integer(env, 'DIGA_STATEMENT_TIMEOUT_MS', 5000, 100, 3_600_000),
    connectTimeoutMs: integer(env, 'DIGA_PG_CONNECT_TIMEOUT_MS', 2000, 100, 600_000),
    bootstrap: boolean(env, 'DIGA_BOOTSTRAP', true),
    bodyLimit: integer(env, 'DIGA_BODY_LIMIT', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    shutdownGraceMs: integer(env, 'DIGA_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, not "${env[name]}"`);
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if ((values as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name} must be one of ${values.join(', ')}, not "${env[name]}"`);
}

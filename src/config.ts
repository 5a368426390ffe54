import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RateLimitPolicies } from './domain/rate-limits/rate-limits.js';
import type { DialingOptions } from './domain/dialing/settings.js';

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
  /** Connection limits against slow or greedy clients (see HttpLimits). */
  http: HttpLimits;
  /** An authenticated request body must arrive within timeoutMs plus a second per minBytesPerSecond of it. */
  bodyDeadline: { timeoutMs: number; minBytesPerSecond: number };
  /** Open connections, in all and per client address; unset: derived from the open-file limit at start. */
  connections: { max: number | undefined; perAddress: number | undefined };
  /** Origins allowed to call the API from a browser; empty: CORS closed. */
  corsOrigins: Set<string>;
  /** Fastify's trustProxy: which proxies' X-Forwarded-For to believe for the client address. */
  trustProxy: boolean | string;
  rateLimits: RateLimitPolicies;
  /** Key for the HMAC under which credentials are stored; unset: plain SHA-256 digests. */
  secretPepper: string | undefined;
  /** How long SIGTERM waits for in-flight requests before closing, in milliseconds. */
  shutdownGraceMs: number;
  /** Directory of the blob store that holds uploaded recordings. */
  recordingsDir: string;
  /** Largest accepted recording upload, in bytes. */
  recordingMaxBytes: number;
  /** How long a signed recording URL stays valid, in seconds. */
  recordingUrlTtlSeconds: number;
  /** Scheme and host clients reach this service at (for signed URLs); unset: the request's Host. */
  publicUrl: string | undefined;
  /** NODE_ENV=production: settings that are only risky in development become required. */
  production: boolean;
  /** How often the concurrency stream sends the active call count, in milliseconds. */
  concurrencyIntervalMs: number;
  /** Concurrency streams open at once per API key and per project (per process), and their lifetime. */
  streams: { perKey: number; perProject: number; maxLifetimeMs: number };
  /** Outbound calls: per-project defaults and the dial-job leases. */
  dialing: DialingOptions;
  webhooks: {
    /** Run the delivery worker in this process. */
    worker: boolean;
    timeoutMs: number;
    retryWindowMs: number;
    backoffBaseMs: number;
    pollMs: number;
    concurrency: number;
    /** Of the deliveries in flight from one process, at most this many for one project... */
    projectConcurrency: number;
    /** ... and this many for one webhook. */
    endpointConcurrency: number;
    /** Webhooks one project may have. */
    maxPerProject: number;
    /** Accept plain-http webhook URLs (development only). */
    allowHttp: boolean;
    /** Hosts exempt from the private-address checks, e.g. a local receiver. */
    allowedHosts: Set<string>;
  };
}

export interface HttpLimits {
  /** A client must have sent its request headers within this many milliseconds (slowloris). */
  headersTimeoutMs: number;
  /** ... and its whole request, body included, within this many. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this many milliseconds. */
  keepAliveTimeoutMs: number;
  /** Requests served on one connection before it is closed (0: no limit). */
  maxRequestsPerSocket: number;
  /** Largest request line plus headers, in bytes; beyond it, 431. */
  maxHeaderBytes: number;
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
    http: {
      headersTimeoutMs: integer(env, 'DIGA_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      requestTimeoutMs: integer(env, 'DIGA_REQUEST_TIMEOUT_MS', 120_000, 100, 3_600_000),
      keepAliveTimeoutMs: integer(env, 'DIGA_KEEP_ALIVE_TIMEOUT_MS', 5000, 100, 600_000),
      maxRequestsPerSocket: integer(env, 'DIGA_MAX_REQUESTS_PER_SOCKET', 10_000, 0, 100_000_000),
      maxHeaderBytes: integer(env, 'DIGA_MAX_HEADER_BYTES', 16 * 1024, 1024, 1024 * 1024),
    },
    bodyDeadline: {
      timeoutMs: integer(env, 'DIGA_BODY_TIMEOUT_MS', 10_000, 100, 3_600_000),
      minBytesPerSecond: integer(env, 'DIGA_BODY_MIN_BYTES_PER_SECOND', 256 * 1024, 1, 1024 ** 3),
    },
    connections: {
      max: optionalInteger(env, 'DIGA_MAX_CONNECTIONS', 1, 1_000_000),
      perAddress: optionalInteger(env, 'DIGA_MAX_CONNECTIONS_PER_ADDRESS', 1, 1_000_000),
    },
    corsOrigins: new Set(list(env.DIGA_CORS_ORIGINS).map((origin) => origin.replace(/\/+$/, ''))),
    trustProxy: trustProxy(env),
    rateLimits: {
      apiKey: ratePolicy(env, 'DIGA_RATE_LIMIT', 'api-key', 100, 200),
      project: ratePolicy(env, 'DIGA_PROJECT_RATE_LIMIT', 'project', 200, 400),
      runtimeToken: ratePolicy(env, 'DIGA_RUNTIME_RATE_LIMIT', 'runtime-token', 500, 1000),
      unauthenticated: ratePolicy(env, 'DIGA_UNAUTHENTICATED_RATE_LIMIT', 'unauthenticated', 10, 50),
    },
    secretPepper: secretPepper(env),
    shutdownGraceMs: integer(env, 'DIGA_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    recordingsDir: env.DIGA_RECORDINGS_DIR?.trim() || defaultRecordingsDir(databaseUrl, postgres),
    recordingMaxBytes: integer(env, 'DIGA_RECORDING_MAX_BYTES', 100 * 1024 * 1024, 1024, 10 * 1024 ** 3),
    recordingUrlTtlSeconds: integer(env, 'DIGA_RECORDING_URL_TTL_SECONDS', 3600, 10, 7 * 86_400),
    publicUrl: publicUrl(env),
    production: env.NODE_ENV?.trim() === 'production',
    concurrencyIntervalMs: integer(env, 'DIGA_CONCURRENCY_INTERVAL_MS', 5000, 100, 600_000),
    streams: {
      perKey: integer(env, 'DIGA_STREAMS_PER_KEY', 5, 1, 100_000),
      perProject: integer(env, 'DIGA_STREAMS_PER_PROJECT', 20, 1, 1_000_000),
      maxLifetimeMs: integer(env, 'DIGA_STREAM_MAX_LIFETIME_SECONDS', 900, 1, 86_400) * 1000,
    },
    dialing: {
      maxConcurrentCalls: integer(env, 'DIGA_MAX_CONCURRENT_CALLS', 10, 1, 100_000),
      allowedCountryCodes: ['34', ...callingCodes(env)],
      leaseMs: integer(env, 'DIGA_DIAL_LEASE_SECONDS', 30, 1, 3600) * 1000,
      maxAttempts: integer(env, 'DIGA_DIAL_MAX_ATTEMPTS', 3, 1, 100),
    },
    webhooks: {
      worker: boolean(env, 'DIGA_WEBHOOK_WORKER', true),
      timeoutMs: integer(env, 'DIGA_WEBHOOK_TIMEOUT_MS', 10_000, 100, 300_000),
      retryWindowMs: integer(env, 'DIGA_WEBHOOK_RETRY_WINDOW_SECONDS', 86_400, 1, 30 * 86_400) * 1000,
      backoffBaseMs: integer(env, 'DIGA_WEBHOOK_BACKOFF_BASE_MS', 1000, 1, 3_600_000),
      pollMs: integer(env, 'DIGA_WEBHOOK_POLL_MS', 500, 10, 60_000),
      concurrency: integer(env, 'DIGA_WEBHOOK_CONCURRENCY', 16, 1, 1000),
      projectConcurrency: integer(env, 'DIGA_WEBHOOK_PROJECT_CONCURRENCY', 4, 1, 1000),
      endpointConcurrency: integer(env, 'DIGA_WEBHOOK_ENDPOINT_CONCURRENCY', 2, 1, 1000),
      maxPerProject: integer(env, 'DIGA_WEBHOOK_MAX_PER_PROJECT', 20, 1, 100_000),
      allowHttp: boolean(env, 'DIGA_WEBHOOK_ALLOW_HTTP', false),
      allowedHosts: new Set(
        list(env.DIGA_WEBHOOK_ALLOWED_HOSTS).map((host) => host.toLowerCase().replace(/^\[|\]$/g, '')),
      ),
    },
  };
}

/** Beside the SQLite file; ./data/recordings for PostgreSQL or an in-memory store. */
function defaultRecordingsDir(databaseUrl: string, postgres: boolean): string {
  if (postgres || databaseUrl === ':memory:') return './data/recordings';
  return join(dirname(databaseUrl.replace(/^file:/, '')), 'recordings');
}

function publicUrl(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.DIGA_PUBLIC_URL?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`DIGA_PUBLIC_URL must be an http(s) URL such as https://api.example.com, not "${raw}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '') {
    throw new ConfigError(`DIGA_PUBLIC_URL must be an http(s) URL such as https://api.example.com, not "${raw}"`);
  }
  return url.toString().replace(/\/+$/, '');
}

/**
 * What the server checks before it serves (startServer): a ConfigError for a setting production
 * must not run without, else the warnings to log at start. Without DIGA_PUBLIC_URL signed
 * recording URLs are built from the Host header the client sent, so a client (or anyone able to
 * set the header in front of a victim's request) decides where the signed link points.
 */
export function servingRisks(config: Pick<Config, 'production' | 'publicUrl'>): string[] {
  if (config.publicUrl !== undefined) return [];
  if (config.production) {
    throw new ConfigError(
      'DIGA_PUBLIC_URL must be set in production (NODE_ENV=production): signed recording URLs would be built from the Host header each client sends. Set it to the scheme and host clients reach the service at, such as https://api.example.com.',
    );
  }
  return [
    "DIGA_PUBLIC_URL is not set: signed recording URLs are built from each request's Host header (required when NODE_ENV=production)",
  ];
}

/** DIGA_SECRET_PEPPER, or the first line of the file DIGA_SECRET_PEPPER_FILE names. */
function secretPepper(env: NodeJS.ProcessEnv): string | undefined {
  const file = env.DIGA_SECRET_PEPPER_FILE?.trim();
  let value = env.DIGA_SECRET_PEPPER?.trim();
  if (file) {
    try {
      value = readFileSync(file, 'utf8').split('\n')[0]?.trim();
    } catch (error) {
      throw new ConfigError(`DIGA_SECRET_PEPPER_FILE cannot be read: ${(error as Error).message}`);
    }
  }
  if (!value) return undefined;
  if (value.length < 32)
    throw new ConfigError('DIGA_SECRET_PEPPER must be at least 32 characters (e.g. openssl rand -hex 32)');
  return value;
}

/** DIGA_ALLOWED_COUNTRY_CODES: calling codes besides Spain's (34) that calls may go to. */
function callingCodes(env: NodeJS.ProcessEnv): string[] {
  const codes = list(env.DIGA_ALLOWED_COUNTRY_CODES).map((code) => code.replace(/^\+/, ''));
  const bad = codes.find((code) => !/^[1-9]\d{0,2}$/.test(code));
  if (bad !== undefined) {
    throw new ConfigError(`DIGA_ALLOWED_COUNTRY_CODES must list calling codes such as 351,33, not "${bad}"`);
  }
  return codes;
}

/** A comma-separated list, trimmed, without empty items. */
function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `<PREFIX>_PER_SECOND` (0 turns the limit off) and `<PREFIX>_BURST`. */
function ratePolicy(env: NodeJS.ProcessEnv, prefix: string, name: string, perSecond: number, burst: number) {
  const rate = integer(env, `${prefix}_PER_SECOND`, perSecond, 0, 10_000_000);
  if (rate === 0) return undefined;
  return { name, perSecond: rate, burst: integer(env, `${prefix}_BURST`, Math.max(burst, rate), 1, 100_000_000) };
}

/** true/false, or the proxies' addresses and CIDR ranges, comma-separated. */
function trustProxy(env: NodeJS.ProcessEnv): boolean | string {
  const raw = env.DIGA_TRUST_PROXY?.trim();
  if (!raw) return false;
  if (/^(true|false|yes|no|on|off|1|0)$/i.test(raw)) return boolean(env, 'DIGA_TRUST_PROXY', false);
  return list(raw).join(',');
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

function optionalInteger(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  return env[name]?.trim() ? integer(env, name, min, min, max) : undefined;
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

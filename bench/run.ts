import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { buildLookupTable, buildPostgresLookupTable, seedStore, type SeedResult } from './seed.js';
import { digaServer, distDir, pinning, runLoad, startServer, type LoadResult, type RunningServer } from './servers.js';
import { warmGetTables, warmPageCache } from './page-cache.js';
import { pageOutScheme } from './page-out.js';
import { writeReport } from './report.js';

/**
 * `npm run bench`: seeds stores through the ingestion path, then drives GET /v1/call/{id} on the
 * built server and on two reference servers (the ceiling and the lookup limit), at a small and a
 * large store size. Writes bench/results/<time>.json and docs/BENCHMARKS.md.
 */
const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '1000000' },
    small: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '50' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
    'unknown-share': { type: 'string', default: '0.1' },
    'pg-calls': { type: 'string', default: '10000' },
  },
});
const sizes = [...new Set([Number(values.small), Number(values.calls)])].sort((a, b) => a - b);
const connections = Number(values.connections);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const rounds = Number(values.rounds);
const unknownShare = Number(values['unknown-share']);
/**
 * One key drives the whole load, so its rate limit is raised out of reach; the limiter still
 * runs on every request, so its cost is in the figures.
 */
const BENCH_SERVER_ENV = { LOG_LEVEL: 'info', DIGA_RATE_LIMIT_PER_SECOND: '10000000' };

const root = join(distDir, '..');
const dataDir = join(root, 'bench', '.data');
mkdirSync(dataDir, { recursive: true });

/**
 * One server's GET measurement: requests per second and CPU time summed over its rounds; p50, p99
 * and p99.9 from one uninterrupted run of the same length after them (in runs before that run
 * existed, the medians of the rounds'); errors over both.
 */
export interface ServerResult extends LoadResult {
  peakRssMb: number;
  /** The server's CPU time (all threads) per request answered, in microseconds. */
  cpuMicrosPerRequest?: number;
  rounds?: (LoadResult & { cpuMicrosPerRequest: number })[];
  latencyRun?: LoadResult;
}

export interface SizeResult {
  backend: 'sqlite' | 'postgres';
  calls: number;
  seed: Omit<SeedResult, 'apiKey' | 'sampleIds'>;
  servers: Record<string, ServerResult>;
  /** The median over rounds of diga-api's req/s over the reference's in the same round. */
  ratioToLookup: number;
  ratioToCeiling: number;
  /** GET /v1/call/ on the largest SQLite store: by kind of page. */
  listing?: Record<string, LoadResult>;
}

const results: SizeResult[] = [];
for (const calls of sizes) results.push(await measureSqlite(calls, calls === sizes.at(-1)));
const pgAdminUrl = process.env.DIGA_BENCH_DATABASE_URL?.trim();
if (pgAdminUrl) results.push(await measurePostgres(pgAdminUrl, Number(values['pg-calls'])));
else log('PostgreSQL run skipped: DIGA_BENCH_DATABASE_URL is not set');

async function measureSqlite(calls: number, withListing: boolean): Promise<SizeResult> {
  const dbPath = join(dataDir, `diga-${calls}.db`);
  const lookupPath = join(dataDir, `lookup-${calls}.db`);
  for (const p of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, lookupPath]) rmSync(p, { force: true });
  log(`SQLite: seeding ${calls} calls through the ingestion path…`);
  const seed = await seedStore(dbPath, calls);
  logSeed(seed);
  await buildLookupTable(dbPath, lookupPath);
  const sampleBody = new Database(lookupPath, { readonly: true })
    .prepare('SELECT body FROM bodies LIMIT 1')
    .pluck()
    .get() as Buffer;
  warmGetTables(dbPath);
  warmPageCache([lookupPath]);
  const result = await measure('sqlite', calls, seed, [
    {
      name: 'diga-api',
      script: digaServer,
      env: { DIGA_DATABASE_URL: dbPath, ...BENCH_SERVER_ENV },
    },
    {
      name: 'lookup limit',
      script: join(distDir, 'bench', 'reference', 'lookup.js'),
      env: { BENCH_LOOKUP_DB: lookupPath, BENCH_KEY: seed.apiKey },
    },
    {
      name: 'ceiling',
      script: join(distDir, 'bench', 'reference', 'ceiling.js'),
      env: { BENCH_BODY: sampleBody.toString() },
    },
  ]);
  if (withListing) result.listing = await measureListing(dbPath, calls, seed);
  return result;
}

/**
 * GET /v1/call/ on the same store: the first page, the first page of one filter, and pages
 * deep in the listing (an `after` cursor at a random sampled call: what a walk asks for).
 */
async function measureListing(dbPath: string, calls: number, seed: SeedResult): Promise<Record<string, LoadResult>> {
  const kinds: Record<string, string[]> = {
    'first page': ['/v1/call/?limit=50'],
    'filter status=completed': ['/v1/call/?status=completed&limit=50'],
    'after walk (random cursor)': seed.sampleIds.map((id) => `/v1/call/?limit=50&after=${id}`),
  };
  const measured: Record<string, LoadResult> = {};
  const running = await startServer('diga-api', digaServer, 18_010, {
    DIGA_DATABASE_URL: dbPath,
    ...BENCH_SERVER_ENV,
  });
  try {
    for (const [kind, paths] of Object.entries(kinds)) {
      const file = join(dataDir, `list-${calls}-${kind.split(' ')[0]}.json`);
      writeFileSync(file, JSON.stringify(paths));
      if (warmup > 0) await runLoad(running.url, seed.apiKey, file, connections, warmup);
      const load = await runLoad(running.url, seed.apiKey, file, connections, duration);
      measured[kind] = load;
      log(
        `  GET /v1/call/ ${kind}: ${Math.round(load.requestsPerSecond)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, non-2xx ${load.non2xx}`,
      );
    }
  } finally {
    await running.stop();
  }
  return measured;
}

async function measurePostgres(adminUrl: string, calls: number): Promise<SizeResult> {
  const name = `diga_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    log(`PostgreSQL: seeding ${calls} calls through the ingestion path…`);
    const seed = await seedStore(url.toString(), calls);
    logSeed(seed);
    await buildPostgresLookupTable(url.toString());
    return await measure('postgres', calls, seed, [
      {
        name: 'diga-api',
        script: digaServer,
        env: { DIGA_DATABASE_URL: url.toString(), ...BENCH_SERVER_ENV },
      },
      {
        name: 'lookup limit',
        script: join(distDir, 'bench', 'reference', 'pg-lookup.js'),
        env: { BENCH_PG_URL: url.toString(), BENCH_KEY: seed.apiKey },
      },
    ]);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function measure(
  backend: SizeResult['backend'],
  calls: number,
  seed: SeedResult,
  servers: { name: string; script: string; env: NodeJS.ProcessEnv }[],
): Promise<SizeResult> {
  // A random choice of existing ids, and a share of ids that exist nowhere (which must stay as cheap).
  const ids = [
    ...seed.sampleIds,
    ...Array.from({ length: Math.round(seed.sampleIds.length * unknownShare) }, () => randomUUID()),
  ];
  const idsFile = join(dataDir, `paths-${backend}-${calls}.json`);
  writeFileSync(idsFile, JSON.stringify(ids.map((id) => `/v1/call/${id}`)));
  // Every server runs for the whole measurement and they take turns, round by round (who goes
  // first rotates), so the ratios compare figures taken minutes apart at most seconds apart: this
  // machine's speed drifts by tens of percent from one minute to the next.
  const running: RunningServer[] = [];
  const perRound: Record<string, (LoadResult & { cpuMicrosPerRequest: number })[]> = {};
  const latencyRun: Record<string, LoadResult> = {};
  const peakRssMb: Record<string, number> = {};
  try {
    for (const [i, server] of servers.entries()) {
      running.push(await startServer(server.name, server.script, 18_000 + i, server.env));
      perRound[server.name] = [];
    }
    if (warmup > 0) for (const server of running) await runLoad(server.url, seed.apiKey, idsFile, connections, warmup);
    for (let round = 0; round < rounds; round += 1) {
      for (const server of [...running.slice(round % running.length), ...running.slice(0, round % running.length)]) {
        const cpuBefore = server.cpuSeconds();
        const load = await runLoad(server.url, seed.apiKey, idsFile, connections, duration / rounds);
        const cpuMicrosPerRequest = ((server.cpuSeconds() - cpuBefore) * 1e6) / load.total;
        perRound[server.name]?.push({ ...load, cpuMicrosPerRequest });
      }
    }
    // Latency percentiles come from one uninterrupted run: a 2-second turn after seconds idle
    // has a heavier tail (measured: p99 medians of 44–67 ms in turns against 14–38 ms in 10 s
    // runs of the same server), and a server under steady load is what customers meet.
    for (const server of running) {
      latencyRun[server.name] = await runLoad(server.url, seed.apiKey, idsFile, connections, duration);
    }
  } finally {
    for (const server of running) {
      peakRssMb[server.name] = server.peakRssMb();
      await server.stop();
    }
  }
  const measured: SizeResult['servers'] = {};
  for (const server of running) {
    const mine = perRound[server.name] ?? [];
    const steady = latencyRun[server.name] as LoadResult;
    const summed = sumOfRounds(mine);
    measured[server.name] = {
      ...summed,
      p50: steady.p50,
      p99: steady.p99,
      p99_9: steady.p99_9,
      errors: summed.errors + steady.errors,
      non2xx: summed.non2xx + steady.non2xx,
      peakRssMb: peakRssMb[server.name] ?? NaN,
      rounds: mine,
      latencyRun: steady,
    };
    const s = measured[server.name] as ServerResult;
    log(
      `  ${server.name}: ${Math.round(s.requestsPerSecond)} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms, p99.9 ${s.p99_9} ms, errors ${s.errors}, non-2xx ${s.non2xx}, ${s.cpuMicrosPerRequest?.toFixed(0)} µs CPU/request`,
    );
  }
  const ratio = (of: string, to: string) => {
    const ours = perRound[of] ?? [];
    const theirs = perRound[to];
    if (theirs === undefined) return NaN;
    return median(ours.map((r, i) => r.requestsPerSecond / (theirs[i]?.requestsPerSecond ?? NaN)));
  };
  const result: SizeResult = {
    backend,
    calls,
    seed: {
      calls: seed.calls,
      events: seed.events,
      seconds: seed.seconds,
      eventsPerSecond: seed.eventsPerSecond,
      bytesPerCall: seed.bytesPerCall,
    },
    servers: measured,
    ratioToLookup: ratio('diga-api', 'lookup limit'),
    ratioToCeiling: ratio('diga-api', 'ceiling'),
  };
  log(
    `  diga-api / lookup limit = ${result.ratioToLookup.toFixed(2)}, / ceiling = ${result.ratioToCeiling.toFixed(2)}`,
  );
  return result;
}

/** Rounds summed: requests and CPU time over the whole time. */
function sumOfRounds(
  measured: (LoadResult & { cpuMicrosPerRequest: number })[],
): Omit<LoadResult, 'p50' | 'p99' | 'p99_9'> & { cpuMicrosPerRequest: number } {
  const total = measured.reduce((sum, r) => sum + r.total, 0);
  return {
    requestsPerSecond: total / measured.reduce((sum, r) => sum + r.total / r.requestsPerSecond, 0),
    errors: measured.reduce((sum, r) => sum + r.errors, 0),
    non2xx: measured.reduce((sum, r) => sum + r.non2xx, 0),
    total,
    generator: measured[0]?.generator ?? '',
    cpuMicrosPerRequest: measured.reduce((sum, r) => sum + r.cpuMicrosPerRequest * r.total, 0) / total,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function logSeed(seed: SeedResult): void {
  log(
    `  ${seed.events} events in ${seed.seconds.toFixed(1)} s: ${Math.round(seed.eventsPerSecond)} events/s${seed.bytesPerCall ? `, ${Math.round(seed.bytesPerCall)} bytes/call` : ''}`,
  );
}

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  pinning,
  pageOut: pageOutScheme(),
};
const command = `${pgAdminUrl ? 'DIGA_BENCH_DATABASE_URL=… ' : ''}npm run bench -- --calls ${values.calls} --small ${values.small} --connections ${connections} --duration ${duration} --rounds ${rounds}`;
writeReport(root, {
  date: new Date().toISOString(),
  machine,
  command,
  connections,
  duration,
  rounds,
  latencyRun: true,
  unknownShare,
  results,
});

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

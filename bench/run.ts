import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import {
  buildPostgresLookupTable,
  seedSqliteWithLookup,
  seedStore,
  withThrowawayDatabase,
  type SeedResult,
} from './seed.js';
import { BENCH_SERVER_ENV, lookupLimit, measure, type MeasureSettings, type SizeResult } from './measure.js';
import { digaServer, distDir, pinning, runLoad, startServer, type LoadResult } from './servers.js';
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

const root = join(distDir, '..');
const dataDir = join(root, 'bench', '.data');
mkdirSync(dataDir, { recursive: true });
const settings: MeasureSettings = { connections, duration, warmup, rounds, unknownShare, dataDir, log };

const results: SizeResult[] = [];
for (const calls of sizes) results.push(await measureSqlite(calls, calls === sizes.at(-1)));
const pgAdminUrl = process.env.DIGA_BENCH_DATABASE_URL?.trim();
if (pgAdminUrl) results.push(await measurePostgres(pgAdminUrl, Number(values['pg-calls'])));
else log('PostgreSQL run skipped: DIGA_BENCH_DATABASE_URL is not set');

async function measureSqlite(calls: number, withListing: boolean): Promise<SizeResult> {
  const dbPath = join(dataDir, `diga-${calls}.db`);
  const lookupPath = join(dataDir, `lookup-${calls}.db`);
  log(`SQLite: seeding ${calls} calls through the ingestion path…`);
  const seed = await seedSqliteWithLookup(dbPath, lookupPath, calls);
  logSeed(seed);
  const sampleBody = new Database(lookupPath, { readonly: true })
    .prepare('SELECT body FROM bodies LIMIT 1')
    .pluck()
    .get() as Buffer;
  const result = await measure(
    'sqlite',
    calls,
    seed,
    [
      {
        name: 'diga-api',
        script: digaServer,
        env: { DIGA_DATABASE_URL: dbPath, ...BENCH_SERVER_ENV },
      },
      lookupLimit('sqlite', seed.apiKey, { BENCH_LOOKUP_DB: lookupPath }),
      {
        name: 'ceiling',
        script: join(distDir, 'bench', 'reference', 'ceiling.js'),
        env: { BENCH_BODY: sampleBody.toString() },
      },
    ],
    settings,
  );
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
  return withThrowawayDatabase(adminUrl, async (url) => {
    log(`PostgreSQL: seeding ${calls} calls through the ingestion path…`);
    const seed = await seedStore(url, calls);
    logSeed(seed);
    await buildPostgresLookupTable(url);
    return measure(
      'postgres',
      calls,
      seed,
      [
        { name: 'diga-api', script: digaServer, env: { DIGA_DATABASE_URL: url, ...BENCH_SERVER_ENV } },
        lookupLimit('postgres', seed.apiKey, { BENCH_PG_URL: url }),
      ],
      settings,
    );
  });
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

import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BENCH_SERVER_ENV,
  lookupLimit,
  measure,
  median,
  type MeasureSettings,
  type ServerToMeasure,
  type SizeResult,
} from './measure.js';
import {
  buildPostgresLookupTable,
  seedSqliteWithLookup,
  seedStore,
  withThrowawayDatabase,
  type SeedResult,
} from './seed.js';
import { distDir, pinning, startFlags } from './servers.js';

/**
 * `npm run bench:compare -- [options] NAME=DIR …`: builds of diga-api side by side, in turns
 * with the lookup limit, on one store seeded for the purpose. These machines' speed drifts by up
 * to a fifth within minutes, and two bench runs of one build measured 0.80 and 0.73 of the
 * lookup limit 50 minutes apart: more than most changes are worth. Servers taking turns seconds
 * apart cannot drift apart that way. DIR is a checkout whose `dist` is built (this one
 * is `.`); an older commit's, for instance:
 *
 *   git worktree add ../before HEAD~1 && ln -s "$PWD/node_modules" ../before/ && (cd ../before && npx tsc)
 *   npm run bench:compare -- --calls 10000 --rounds 12 before=../before after=.
 *
 * The store is seeded by this build, so the builds compared must share its schema (an older
 * build refuses a store with newer migrations). Options: --calls (10,000), --rounds (10),
 * --turn (seconds per server per round, 3), --connections (50), --postgres (on a throwaway
 * database on DIGA_BENCH_DATABASE_URL's server instead of a SQLite file). Prints, per build, the
 * median over the rounds of its throughput over the lookup limit's and over the first build's,
 * its CPU time per request, p99 and peak RSS.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    calls: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '10' },
    turn: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    postgres: { type: 'boolean', default: false },
  },
});
const builds = positionals.map((spec) => {
  const [name, dir] = spec.split('=', 2);
  const script = join(resolve(dir ?? ''), 'dist', 'src', 'main.js');
  if (!name || !dir || !existsSync(script))
    throw new Error(`"${spec}": expected NAME=DIR with DIR/dist/src/main.js built`);
  return { name, script };
});
if (builds.length === 0) throw new Error('name at least one build: NAME=DIR');

const calls = Number(values.calls);
const rounds = Number(values.rounds);
const dataDir = join(distDir, '..', 'bench', '.data');
mkdirSync(dataDir, { recursive: true });
const log = (line: string) => process.stdout.write(`${line}\n`);
const settings: MeasureSettings = {
  connections: Number(values.connections),
  duration: rounds * Number(values.turn),
  warmup: 3,
  rounds,
  unknownShare: 0.1,
  dataDir,
  log,
};

/** Every build named, on `databaseUrl`, in turns with the backend's lookup limit. */
function measureBuilds(
  backend: SizeResult['backend'],
  seed: SeedResult,
  databaseUrl: string,
  lookupEnv: NodeJS.ProcessEnv,
) {
  const diga = builds.map(({ name, script }): ServerToMeasure => ({
    name,
    script,
    env: { DIGA_DATABASE_URL: databaseUrl, ...BENCH_SERVER_ENV },
    nodeFlags: startFlags,
  }));
  return measure(backend, calls, seed, [...diga, lookupLimit(backend, seed.apiKey, lookupEnv)], settings);
}

log(`${builds.length} build(s) and the lookup limit, ${calls} calls, ${rounds} rounds; ${pinning}`);
const result = values.postgres ? await onPostgres() : await onSqlite();
const first = result.servers[builds[0]?.name ?? ''];
const lookup = result.servers['lookup limit'];
log('');
log('build | / lookup limit | / first build | CPU µs per request | p99 ms | peak RSS MB');
for (const { name } of builds) {
  const mine = result.servers[name];
  const over = (other: typeof mine) =>
    median((mine?.rounds ?? []).map((r, i) => r.requestsPerSecond / (other?.rounds?.[i]?.requestsPerSecond ?? NaN)));
  log(
    `${name} | ${over(lookup).toFixed(3)} | ${over(first).toFixed(3)} | ${mine?.cpuMicrosPerRequest?.toFixed(1)} | ${mine?.p99} | ${mine?.peakRssMb.toFixed(0)}`,
  );
}
log(
  `lookup limit | 1 | | ${lookup?.cpuMicrosPerRequest?.toFixed(1)} | ${lookup?.p99} | ${lookup?.peakRssMb.toFixed(0)}`,
);

async function onSqlite() {
  const dbPath = join(dataDir, `compare-${calls}.db`);
  const lookupPath = join(dataDir, `compare-lookup-${calls}.db`);
  const files = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, lookupPath];
  try {
    const seed = await seedSqliteWithLookup(dbPath, lookupPath, calls);
    return await measureBuilds('sqlite', seed, dbPath, { BENCH_LOOKUP_DB: lookupPath });
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
}

async function onPostgres() {
  const adminUrl = process.env.DIGA_BENCH_DATABASE_URL?.trim();
  if (!adminUrl) throw new Error('--postgres needs DIGA_BENCH_DATABASE_URL (an admin URL)');
  return withThrowawayDatabase(adminUrl, async (url) => {
    const seed = await seedStore(url, calls);
    await buildPostgresLookupTable(url);
    return measureBuilds('postgres', seed, url, { BENCH_PG_URL: url });
  });
}

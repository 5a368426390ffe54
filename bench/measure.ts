import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedResult } from './seed.js';
import { distDir, runLoad, startServer, type LoadResult, type RunningServer } from './servers.js';

/**
 * diga-api's environment under the bench. One key drives the whole load, so its rate limit is
 * raised out of reach; the limiter still runs on every request, so its cost is in the figures.
 */
export const BENCH_SERVER_ENV = {
  LOG_LEVEL: 'info',
  DIGA_RATE_LIMIT_PER_SECOND: '10000000',
  DIGA_PROJECT_RATE_LIMIT_PER_SECOND: '10000000',
};

/** How the GET load is applied (`npm run bench`'s options). */
export interface MeasureSettings {
  connections: number;
  /** Seconds measured per server: split into `rounds` turns, then once more uninterrupted. */
  duration: number;
  /** Seconds of load per server before the rounds. */
  warmup: number;
  rounds: number;
  /** Ids that exist nowhere, as a share of the sampled ids. */
  unknownShare: number;
  /** Where the load generator's files go. */
  dataDir: string;
  log: (line: string) => void;
}

export interface ServerToMeasure {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  /** Node's flags for the script; by default `npm start`'s for this build's server, none otherwise. */
  nodeFlags?: string[];
}

/** The backend's lookup limit (bench/reference/), serving the seeded store's API key. */
export function lookupLimit(backend: SizeResult['backend'], apiKey: string, env: NodeJS.ProcessEnv): ServerToMeasure {
  const script = backend === 'sqlite' ? 'lookup.js' : 'pg-lookup.js';
  return {
    name: 'lookup limit',
    script: join(distDir, 'bench', 'reference', script),
    env: { ...env, BENCH_KEY: apiKey },
  };
}

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

export async function measure(
  backend: SizeResult['backend'],
  calls: number,
  seed: SeedResult,
  servers: ServerToMeasure[],
  settings: MeasureSettings,
): Promise<SizeResult> {
  const { connections, duration, warmup, rounds, unknownShare, dataDir, log } = settings;
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
      running.push(await startServer(server.name, server.script, 18_000 + i, server.env, server.nodeFlags));
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
  if (perRound['diga-api'] !== undefined) {
    log(
      `  diga-api / lookup limit = ${result.ratioToLookup.toFixed(3)}, / ceiling = ${result.ratioToCeiling.toFixed(3)}`,
    );
  }
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

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

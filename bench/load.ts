import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/**
 * The load generator, run as its own process (pinned to its own core by bench/run.ts): GETs
 * over a random choice of the request paths in a JSON file (`/v1/call/{id}` for the lookup
 * runs, list URLs for the listing runs), at fixed connections and duration.
 * Uses wrk when it is installed (it generates far more load per core), autocannon otherwise.
 * Prints one JSON object; latencies in milliseconds.
 */
const [url, key, pathsFile, connections, duration] = process.argv.slice(2) as [string, string, string, string, string];
const paths = JSON.parse(readFileSync(pathsFile, 'utf8')) as string[];

if (spawnSync('wrk', ['--version']).error === undefined) {
  const linesFile = `${pathsFile}.txt`;
  writeFileSync(linesFile, `${paths.join('\n')}\n`);
  const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'load-wrk.lua');
  const run = spawnSync(
    'wrk',
    ['-t1', `-c${connections}`, `-d${duration}s`, '--timeout', '10s', '--latency', '-s', script, url],
    {
      env: { ...process.env, BENCH_PATHS_FILE: linesFile, BENCH_KEY: key },
      encoding: 'utf8',
    },
  );
  const json = run.stdout.split('\n').find((line) => line.startsWith('{'));
  if (!json) throw new Error(`wrk printed no result: ${run.stdout}${run.stderr}`);
  process.stdout.write(`${JSON.stringify({ ...JSON.parse(json), generator: 'wrk' })}\n`);
} else {
  const result = await autocannon({
    url,
    connections: Number(connections),
    duration: Number(duration),
    headers: { authorization: `Bearer ${key}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: paths[Math.floor(Math.random() * paths.length)] as string }),
      },
    ],
  });
  process.stdout.write(
    `${JSON.stringify({
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      p99_9: (result.latency as unknown as Record<string, number>).p99_9,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      total: result.requests.total,
      generator: 'autocannon',
    })}\n`,
  );
}

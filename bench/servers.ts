import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Starting the servers under test and the load generator, each a process of its own. */
export const distDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** `command` pinned to one core when taskset is there (server on core 0, load on core 1). */
export function pinned(core: number, command: string[]): string[] {
  return hasTaskset ? ['taskset', '-c', String(core), ...command] : command;
}

export const pinning = hasTaskset
  ? 'server pinned to core 0, load generator to core 1 (taskset)'
  : 'no taskset: unpinned';

// USER_HZ: 100 on every Linux architecture Node runs on.
const CLOCK_TICKS_PER_SECOND = 100;

export interface RunningServer {
  name: string;
  child: ChildProcess;
  url: string;
  /** Peak resident set size so far, in MB (VmHWM). */
  peakRssMb(): number;
  /** CPU time the server has used so far (user and system, all its threads), in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** diga-api's server, started with the Node flags `npm start` gives it (package.json). */
export const digaServer = join(distDir, 'src', 'main.js');
const startScript = (
  JSON.parse(readFileSync(join(distDir, '..', 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start;
/** The Node flags `npm start` gives the server. */
export const startFlags = startScript.split(/\s+/).filter((word) => word.startsWith('--'));

export async function startServer(
  name: string,
  script: string,
  port: number,
  env: NodeJS.ProcessEnv,
  flags = script === digaServer ? startFlags : [],
): Promise<RunningServer> {
  const [command, ...args] = pinned(0, [process.execPath, ...flags, script]);
  const child = spawn(command as string, args, {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const up = await fetch(`${url}/healthz`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (attempt > 300) throw new Error(`${name} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name,
    child,
    url,
    peakRssMb: () => {
      // taskset execs the node process, so the pid is node's.
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    },
    cpuSeconds: () => {
      // utime and stime, fields 14 and 15 of /proc/PID/stat, counted after the command's
      // parenthesized name (which may hold spaces), in clock ticks of 1/100 s.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  p99_9: number;
  errors: number;
  non2xx: number;
  total: number;
  generator: string;
}

/** Runs the load generator (bench/load.ts) on its own core and returns what it measured. */
export async function runLoad(
  url: string,
  key: string,
  idsFile: string,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const [command, ...args] = pinned(1, [
    process.execPath,
    join(distDir, 'bench', 'load.js'),
    url,
    key,
    idsFile,
    String(connections),
    String(seconds),
  ]);
  const child = spawn(command as string, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(out) as LoadResult;
}

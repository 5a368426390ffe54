import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RuntimeEvent } from '../src/contract/events.js';
import { ingestEvents } from '../src/domain/calls/ingest.js';
import { simulateCalls, simulatedBatches, type SimulatedCall } from '../src/demo/simulate-calls.js';
import { openStore } from '../src/store/open-store.js';
import { median } from './measure.js';
import { seedStore } from './seed.js';
import { distDir } from './servers.js';

/**
 * `npm run bench:ingest -- [--calls N] [--more M] [--rounds R]`: ingestion into a SQLite store
 * that already holds N calls (100,000), in the two shapes a runtime reports calls in. `npm run
 * bench` seeds with each call's whole lifecycle in one batch (a runtime reporting a call when it
 * ends); a runtime reporting events as they happen sends each call's events in separate batches,
 * and every lifecycle event then moves a stored call on. Here M more calls (10,000) go in each
 * way, batches of at most 500 events: "whole calls" as the seeding does, "live" as batch k
 * holding the k-th event of 500 calls in progress at once. Each shape gets a fresh copy of the
 * seeded store per round (--rounds, 2, alternating); prints events per second and the bytes
 * SQLite wrote per event (WAL frames and checkpoints), the medians over the rounds.
 */
const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '100000' },
    more: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '2' },
  },
});
const calls = Number(values.calls);
const more = Number(values.more);
const rounds = Number(values.rounds);
const dataDir = join(distDir, '..', 'bench', '.data');
mkdirSync(dataDir, { recursive: true });
const seeded = join(dataDir, `ingest-${calls}.db`);
const copy = join(dataDir, `ingest-${calls}-copy.db`);
const files = (path: string) => [path, `${path}-wal`, `${path}-shm`];
const log = (line: string) => process.stdout.write(`${line}\n`);

/** 500 calls in progress at once, each reporting its k-th event in batch k. */
function live(simulated: SimulatedCall[]): RuntimeEvent[][] {
  const batches: RuntimeEvent[][] = [];
  for (let start = 0; start < simulated.length; start += 500) {
    const inProgress = simulated.slice(start, start + 500);
    for (let k = 0; ; k += 1) {
      const batch = inProgress.flatMap(({ events }) => (k < events.length ? [events[k] as RuntimeEvent] : []));
      if (batch.length === 0) break;
      batches.push(batch);
    }
  }
  return batches;
}

/**
 * Bytes this process has handed to write calls: SQLite's WAL frames and checkpoints, nearly all
 * of it. (Not `write_bytes`: the kernel charges part of the store's copy to it, later.)
 */
function bytesWritten(): number {
  return Number(/wchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? NaN);
}

async function ingestInto(path: string, batches: RuntimeEvent[][]) {
  const store = openStore(path);
  const events = batches.reduce((sum, batch) => sum + batch.length, 0);
  const written = bytesWritten();
  const started = performance.now();
  for (const batch of batches) await ingestEvents(store.db, batch);
  const seconds = (performance.now() - started) / 1000;
  // Closing checkpoints what is left of the WAL: part of what these events cost the disk.
  await store.close();
  return { events, eventsPerSecond: events / seconds, bytesPerEvent: (bytesWritten() - written) / events };
}

for (const file of [...files(seeded), ...files(copy)]) rmSync(file, { force: true });
try {
  const seed = await seedStore(seeded, calls, 1);
  log(`seeded ${calls} calls: ${Math.round(seed.eventsPerSecond)} events/s (whole calls, batches of 500)`);
  const projectStore = openStore(seeded);
  const { id: projectId } = await projectStore.db.selectFrom('projects').select('id').executeTakeFirstOrThrow();
  await projectStore.close();
  // Another seed than the seeding's, so that these calls and events are new to the store.
  const simulation = { projectId, calls: more, seed: 4242 };
  const shapes = {
    'whole calls': [...simulatedBatches(simulation, 500)].map((batch) => batch.events),
    live: live([...simulateCalls(simulation)]),
  };
  const results = new Map<string, { eventsPerSecond: number; bytesPerEvent: number }[]>();
  for (let round = 0; round < rounds; round += 1) {
    const order = Object.entries(shapes);
    if (round % 2 === 1) order.reverse();
    for (const [shape, batches] of order) {
      copyFileSync(seeded, copy);
      const result = await ingestInto(copy, batches);
      log(
        `  round ${round + 1}, ${shape}: ${batches.length} batches, ${result.events} events, ${Math.round(result.eventsPerSecond)} events/s, ${Math.round(result.bytesPerEvent)} bytes written per event`,
      );
      results.set(shape, [...(results.get(shape) ?? []), result]);
      for (const file of files(copy)) rmSync(file, { force: true });
    }
  }
  for (const [shape, runs] of results) {
    log(
      `${shape}: ${Math.round(median(runs.map((r) => r.eventsPerSecond)))} events/s, ${Math.round(median(runs.map((r) => r.bytesPerEvent)))} bytes written per event (median of ${runs.length}) into ${calls} calls`,
    );
  }
} finally {
  for (const file of [...files(seeded), ...files(copy)]) rmSync(file, { force: true });
}

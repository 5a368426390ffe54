import { rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { ingestEvents } from '../src/domain/calls/ingest.js';
import { renderCallView } from '../src/contract/call-response.js';
import { issueApiKey } from '../src/domain/api-keys/issue-api-key.js';
import { operatorIn } from '../src/domain/api-keys/principal.js';
import { createRuntimeToken } from '../src/domain/api-keys/credentials.js';
import { createProject } from '../src/domain/projects/projects.js';
import { simulatedBatches } from '../src/demo/simulate-calls.js';
import { selectCallsWithContact } from '../src/store/calls-repo.js';
import { openStore } from '../src/store/open-store.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { warmGetTables, warmPageCache } from './page-cache.js';

export interface SeedResult {
  calls: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  bytesPerCall: number | null;
  apiKey: string;
  sampleIds: string[];
}

/**
 * Fills a fresh store with `calls` simulated calls through the ingestion path (batches of 500
 * events, as a runtime would send them) and keeps a random sample of their ids for the load.
 */
export async function seedStore(databaseUrl: string, calls: number, sampleSize = 100_000): Promise<SeedResult> {
  const store = openStore(databaseUrl);
  try {
    await migrateToLatest(store.db);
    const projectId = (await createProject(store.db, 'Bench')).id;
    const apiKey = (await issueApiKey(store.db, operatorIn(projectId), { name: 'bench', restricted: false })).value;
    await createRuntimeToken(store.db, 'bench');
    const sampleIds: string[] = [];
    let seen = 0;
    let events = 0;
    // Only the ingestion is timed: generating the simulated events is the runtime's work.
    let ingesting = 0n;
    for (const batch of simulatedBatches({ projectId, calls, seed: 2026 }, 500)) {
      const started = process.hrtime.bigint();
      await ingestEvents(store.db, batch.events);
      ingesting += process.hrtime.bigint() - started;
      events += batch.events.length;
      for (const id of batch.callIds) {
        // Reservoir sampling: every call equally likely to be in the sample.
        seen += 1;
        if (sampleIds.length < sampleSize) sampleIds.push(id);
        else if (Math.random() < sampleSize / seen) sampleIds[Math.floor(Math.random() * sampleSize)] = id;
      }
    }
    const seconds = Number(ingesting) / 1e9;
    const bytesPerCall = store.dialect === 'sqlite' ? sqliteBytes(databaseUrl) / calls : null;
    return { calls, events, seconds, eventsPerSecond: events / seconds, bytesPerCall, apiKey, sampleIds };
  } finally {
    await store.close();
  }
}

function sqliteBytes(path: string): number {
  const size = (p: string) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return size(path) + size(`${path}-wal`);
}

/**
 * A fresh SQLite store of `calls` calls at `dbPath` (files there before are removed), the lookup
 * limit's table of it at `lookupPath`, and what each server's GET reads warmed into the page cache.
 */
export async function seedSqliteWithLookup(dbPath: string, lookupPath: string, calls: number): Promise<SeedResult> {
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, lookupPath]) rmSync(file, { force: true });
  const seed = await seedStore(dbPath, calls);
  await buildLookupTable(dbPath, lookupPath);
  warmGetTables(dbPath);
  warmPageCache([lookupPath]);
  return seed;
}

/**
 * The lookup limit's table: every call's exact GET response bytes by id, in a SQLite file of its
 * own, so the reference server does one point lookup per request on a table of the same size.
 */
export async function buildLookupTable(databaseUrl: string, lookupPath: string): Promise<number> {
  const store = openStore(databaseUrl);
  const out = new Database(lookupPath);
  out.pragma('journal_mode = OFF');
  out.exec('DROP TABLE IF EXISTS bodies; CREATE TABLE bodies (id TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID');
  const insert = out.prepare('INSERT INTO bodies (id, body) VALUES (?, ?)');
  let rows = 0;
  let after = '';
  try {
    for (;;) {
      const page = await selectCallsWithContact(store.db)
        .where('calls.id', '>', after)
        .orderBy('calls.id')
        .limit(10_000)
        .execute();
      if (page.length === 0) break;
      out.transaction(() => {
        for (const row of page) insert.run(row.id, Buffer.from(renderCallView(row)));
      })();
      rows += page.length;
      after = (page.at(-1) as { id: string }).id;
    }
  } finally {
    out.close();
    await store.close();
  }
  return rows;
}

/** The PostgreSQL lookup limit's table, in the benchmark database itself: `bench_bodies`. */
export async function buildPostgresLookupTable(databaseUrl: string): Promise<void> {
  const store = openStore(databaseUrl);
  try {
    await sql`DROP TABLE IF EXISTS bench_bodies`.execute(store.db);
    await sql`CREATE TABLE bench_bodies (id uuid PRIMARY KEY, body text NOT NULL)`.execute(store.db);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await selectCallsWithContact(store.db)
        .where('calls.id', '>', after)
        .orderBy('calls.id')
        .limit(5_000)
        .execute();
      if (page.length === 0) break;
      const ids = page.map((row) => row.id);
      const bodies = page.map((row) => renderCallView(row));
      await sql`INSERT INTO bench_bodies (id, body) SELECT * FROM unnest(${ids}::uuid[], ${bodies}::text[])`.execute(
        store.db,
      );
      after = ids.at(-1) as string;
    }
  } finally {
    await store.close();
  }
}

/** Runs `use` on a PostgreSQL database created for it on the server of `adminUrl`, then drops it. */
export async function withThrowawayDatabase<T>(adminUrl: string, use: (url: string) => Promise<T>): Promise<T> {
  const name = `diga_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await use(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

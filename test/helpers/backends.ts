import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import pg from 'pg';

/**
 * The stores the store-facing suites run against: SQLite always, PostgreSQL when
 * DIGA_TEST_DATABASE_URL names a server (each test store is then a fresh throwaway database,
 * dropped when the test is done).
 */
export type BackendName = 'sqlite' | 'postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export const postgresAdminUrl = process.env.DIGA_TEST_DATABASE_URL?.trim() || undefined;

/** SQLite in memory unless `file`: a file store, as the server runs (with its read connection). */
export async function createTestDatabase(
  backend: BackendName,
  options: { file?: boolean } = {},
): Promise<TestDatabase> {
  if (backend === 'sqlite' && options.file) {
    const dir = mkdtempSync(join(tmpdir(), 'diga-test-store-'));
    return { url: join(dir, 'diga.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (backend === 'sqlite') return { url: ':memory:', drop: async () => {} };
  if (!postgresAdminUrl) throw new Error('DIGA_TEST_DATABASE_URL is not set');
  const name = `diga_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Declares the suite once per backend; says plainly when PostgreSQL is skipped. */
export function describeEachBackend(title: string, suite: (backend: BackendName) => void): void {
  describe(`${title} [sqlite]`, () => suite('sqlite'));
  if (postgresAdminUrl) describe(`${title} [postgres]`, () => suite('postgres'));
  else
    describe(`${title} [postgres]`, { skip: 'PostgreSQL suite skipped: DIGA_TEST_DATABASE_URL is not set' }, () => {});
}

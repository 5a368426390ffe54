import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig, servingRisks } from '../src/config.js';
import { startServer } from '../src/server.js';
import { tempDir } from './helpers/processes.js';

test('NODE_ENV=production, and only that, is production', () => {
  assert.equal(loadConfig({ NODE_ENV: 'production' }).production, true);
  assert.equal(loadConfig({ NODE_ENV: ' production ' }).production, true);
  for (const value of [undefined, '', 'development', 'test', 'Production-like']) {
    assert.equal(loadConfig({ NODE_ENV: value }).production, false, String(value));
  }
});

test('production without DIGA_PUBLIC_URL is a ConfigError that says what to set', () => {
  const config = loadConfig({ NODE_ENV: 'production' });
  assert.throws(
    () => servingRisks(config),
    (error: unknown) =>
      error instanceof ConfigError &&
      /DIGA_PUBLIC_URL must be set in production/.test(error.message) &&
      /Host header/.test(error.message) &&
      /https:\/\/api\.example\.com/.test(error.message),
  );
  assert.deepEqual(
    servingRisks(loadConfig({ NODE_ENV: 'production', DIGA_PUBLIC_URL: 'https://api.example.com' })),
    [],
  );
});

test("outside production the missing DIGA_PUBLIC_URL is a warning naming the request's Host", () => {
  const [warning, ...others] = servingRisks(loadConfig({}));
  assert.match(warning ?? '', /DIGA_PUBLIC_URL is not set: signed recording URLs are built from each request's Host/);
  assert.deepEqual(others, []);
  assert.deepEqual(servingRisks(loadConfig({ DIGA_PUBLIC_URL: 'http://localhost:8000' })), []);
});

test('startServer refuses before it opens the store', async () => {
  const dir = tempDir();
  try {
    const databaseUrl = join(dir.path, 'diga.db');
    const config = loadConfig({ NODE_ENV: 'production', DIGA_DATABASE_URL: databaseUrl, PORT: '0' });
    await assert.rejects(startServer(config), ConfigError);
    assert.equal(existsSync(databaseUrl), false, 'no store was created');
  } finally {
    dir.remove();
  }
});

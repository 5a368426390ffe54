import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../../src/store/open-store.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, describeEachBackend } from '../helpers/backends.js';
import { runServerToExit, tempDir } from '../helpers/processes.js';

describeEachBackend('operations', (backend) => {
  let t: TestApp;
  before(async () => {
    t = await buildTestApp({ backend });
  });
  after(() => t.close());

  test('/healthz and /readyz answer without credentials', async () => {
    const health = await t.app.inject('/healthz');
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json(), { status: 'ok' });
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready' });
    assert.equal(ready.headers['cache-control'], 'no-store');
  });

  test('/readyz is a 503 when the schema is not the one this build knows', async () => {
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-from-the-future', '2099-01-01')`.execute(
      t.store.db,
    );
    try {
      const ready = await t.app.inject('/readyz');
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().error_code, 'SERVICE_UNAVAILABLE');
      assert.equal(ready.headers['retry-after'], '1');
    } finally {
      await sql`DELETE FROM kysely_migration WHERE name = '9999-from-the-future'`.execute(t.store.db);
    }
  });

  test('a server refuses to start on a schema newer than it knows', async () => {
    const dir = tempDir();
    const database = await createTestDatabase(backend);
    const url = backend === 'sqlite' ? join(dir.path, 'newer.db') : database.url;
    try {
      const store = openStore(url);
      await migrateToLatest(store.db);
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-from-the-future', '2099-01-01')`.execute(
        store.db,
      );
      await store.close();
      const result = await runServerToExit({ DIGA_DATABASE_URL: url, DIGA_AUTO_MIGRATE: 'true' });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /schema is newer than this build of diga-api.*9999-from-the-future/);
    } finally {
      await database.drop();
      dir.remove();
    }
  });
});

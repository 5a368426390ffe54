import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Migrator } from 'kysely';
import { ingestEvents } from '../src/domain/calls/ingest.js';
import { listMessages } from '../src/domain/calls/list-messages.js';
import { createProject } from '../src/domain/projects.js';
import type { Store } from '../src/store/database.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { migrationProvider } from '../src/store/migrations/index.js';
import { describeEachBackend } from './helpers/backends.js';
import { callEvents } from './helpers/events.js';
import { openTestStore, type TestStore } from './helpers/test-store.js';

/**
 * A store written by an earlier release keeps everything when it is upgraded: migrations that
 * rebuild a table carry its rows over.
 */
describeEachBackend('upgrading a store', (backend) => {
  let testStore: TestStore;
  let store: Store;
  before(async () => {
    testStore = await openTestStore(backend, { file: true, migrate: false });
    store = testStore.store;
  });
  after(() => testStore.close());

  test('0007 (messages keyed by call) keeps every message, in spoken order, and ingestion goes on', async () => {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    const { error } = await migrator.migrateTo('0006-call-views');
    assert.equal(error, undefined);
    const projectId = (await createProject(store.db, 'Before the upgrade')).id;
    const call = callEvents(projectId);
    const spoken = [
      call.created(0),
      call.message(5, 'assistant', 'Hola, ¿en qué puedo ayudarle?'),
      call.message(7, 'user', 'Quería una cita'),
      call.toolMessage(8, { function_name: 'book', payload: { day: 'jueves' }, status: 'success' }),
    ];
    await ingestEvents(store.db, spoken);
    const page = () => listMessages(store.db, projectId, call.callId, { limit: 100, order: 'asc' });
    const before = await page();
    assert.equal(before.data.length, 3);

    assert.deepEqual((await migrateToLatest(store.db)).applied, ['0007-messages-by-call']);
    assert.deepEqual(await page(), before);

    const later = call.message(9, 'assistant', 'Perfecto, el jueves');
    const result = await ingestEvents(store.db, [later, spoken[1]!]);
    assert.deepEqual(
      result.results.map((r) => r.status),
      ['accepted', 'duplicate'],
    );
    assert.deepEqual(
      (await page()).data.map((m) => m.content),
      [...before.data.map((m) => m.content), 'Perfecto, el jueves'],
    );
  });
});

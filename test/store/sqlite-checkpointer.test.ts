import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createProject } from '../../src/domain/projects/projects.js';
import type { Store } from '../../src/store/database.js';
import { openStore } from '../../src/store/open-store.js';
import { pollUntil } from '../helpers/poll.js';
import { openTestStore, type TestStore } from '../helpers/test-store.js';

/**
 * A SQLite file's WAL is copied back into the database by a thread of its own, not by the
 * commits of the ingesting connection (which would do it only past 100,000 pages).
 */
describe('SQLite checkpoint thread', () => {
  let testStore: TestStore;
  let store: Store;
  before(async () => {
    testStore = await openTestStore('sqlite', { file: true });
    store = testStore.store;
  });
  after(() => testStore.close());

  test('committed pages reach the database file within seconds, with no commit checkpointing', async () => {
    for (let i = 0; i < 200; i++) await createProject(store.db, `Project ${i}`);
    const { rows } = await sql<{ bytes: number }>`
      SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()
    `.execute(store.db);
    const committedBytes = Number(rows[0]?.bytes);
    const fileBytes = () => statSync(testStore.url).size;
    await pollUntil('the checkpoint thread copied the WAL back', fileBytes, (bytes) => bytes >= committedBytes, {
      everyMs: 100,
    });
    assert.equal(fileBytes(), committedBytes, 'the database file holds every committed page');
  });

  test('a store closed at once stops its thread', async () => {
    const other = openStore(testStore.url);
    await other.close();
  });
});

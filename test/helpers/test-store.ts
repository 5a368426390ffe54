import type { Store } from '../../src/store/database.js';
import { openStore } from '../../src/store/open-store.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createTestDatabase, type BackendName } from './backends.js';

export interface TestStore {
  store: Store;
  /** Where it lives: a file path for SQLite in a file, a URL for PostgreSQL. */
  url: string;
  /** Closes the store and drops its database. */
  close(): Promise<void>;
}

/** A fresh store on `backend` (see createTestDatabase), migrated to the latest schema unless `migrate` is false. */
export async function openTestStore(
  backend: BackendName,
  options: { file?: boolean; migrate?: boolean } = {},
): Promise<TestStore> {
  const database = await createTestDatabase(backend, { file: options.file });
  const store = openStore(database.url);
  if (options.migrate !== false) await migrateToLatest(store.db);
  return {
    store,
    url: database.url,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

import { issueApiKey } from '../../src/domain/api-keys/issue-api-key.js';
import { operatorIn } from '../../src/domain/api-keys/principal.js';
import { createRuntimeToken } from '../../src/domain/api-keys/credentials.js';
import { createProject } from '../../src/domain/projects/projects.js';
import type { Store } from '../../src/store/database.js';
import { openStore } from '../../src/store/open-store.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createTestDatabase, type BackendName, type TestDatabase } from './backends.js';

export interface SeededDatabase extends TestDatabase {
  store: Store;
  projectId: string;
  apiKey: string;
  runtimeToken: string;
}

/** A throwaway, migrated database with a project, an API key and a runtime token. */
export async function seededDatabase(backend: BackendName): Promise<SeededDatabase> {
  const database = await createTestDatabase(backend);
  const store = openStore(database.url);
  await migrateToLatest(store.db);
  const projectId = (await createProject(store.db, 'Race')).id;
  const apiKey = (await issueApiKey(store.db, operatorIn(projectId), { name: 'race', restricted: false })).value;
  const runtimeToken = (await createRuntimeToken(store.db, 'race')).value;
  return {
    ...database,
    store,
    projectId,
    apiKey,
    runtimeToken,
    drop: async () => {
      await store.close();
      await database.drop();
    },
  };
}

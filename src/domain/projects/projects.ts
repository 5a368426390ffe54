import type { Db } from '../../store/database.js';
import { lockNamed } from '../../store/locks.js';
import { countProjects, insertProject, type ProjectRow } from '../../store/projects-repo.js';
import { issueApiKey } from '../api-keys/issue-api-key.js';
import { operatorIn } from '../api-keys/principal.js';
import type { CreatedApiKeyView } from '../api-keys/view.js';
import { createRuntimeToken, type CreatedCredential } from '../api-keys/credentials.js';
import { nowMicros } from '../../kernel/time.js';
import { newId } from '../../kernel/uuid.js';

export async function createProject(db: Db, name: string): Promise<ProjectRow> {
  const row = { id: newId(), name, created_date: nowMicros() };
  await insertProject(db, row);
  return row;
}

export interface Bootstrap {
  project: ProjectRow;
  apiKey: CreatedApiKeyView;
  runtimeToken: CreatedCredential;
}

/**
 * On an empty store, creates the "Default" project with an unrestricted API key and a runtime
 * token, so a first start is usable at once. Does nothing on a store that has any project.
 */
export async function bootstrapEmptyStore(db: Db): Promise<Bootstrap | undefined> {
  return db.transaction().execute(async (trx) => {
    // N instances may start at once on an empty PostgreSQL store: only one bootstraps it.
    await lockNamed(trx, 'diga-api:bootstrap');
    if ((await countProjects(trx)) > 0) return undefined;
    const project = await createProject(trx, 'Default');
    const apiKey = await issueApiKey(trx, operatorIn(project.id), { name: 'Default key', restricted: false });
    const runtimeToken = await createRuntimeToken(trx, 'Default runtime');
    return { project, apiKey, runtimeToken };
  });
}

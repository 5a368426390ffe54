import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CredentialCache } from '../../../src/domain/api-keys/credential-cache.js';
import { issueApiKey } from '../../../src/domain/api-keys/issue-api-key.js';
import { operatorIn } from '../../../src/domain/api-keys/principal.js';
import { authenticateApiKey, cachedApiKey } from '../../../src/domain/api-keys/credentials.js';
import { createProject } from '../../../src/domain/projects/projects.js';
import { revokeApiKey } from '../../../src/store/credentials-repo.js';
import { describeEachBackend } from '../../helpers/backends.js';
import { pollUntil } from '../../helpers/poll.js';
import { openTestStore, type TestStore } from '../../helpers/test-store.js';

const ms = (n: number) => n * 1000; // instants are microseconds

describeEachBackend('API keys renewed in the background', (backend) => {
  let t: TestStore;
  let projectId: string;
  before(async () => {
    t = await openTestStore(backend);
    projectId = (await createProject(t.store.db, 'Renewals')).id;
  });
  after(() => t.close());

  test('a key in steady use never misses the cache at its TTL', async () => {
    const key = await issueApiKey(t.store.db, operatorIn(projectId), { name: 'busy', restricted: false });
    const cache = new CredentialCache(1000);
    const start = Date.now() * 1000;
    const principal = await authenticateApiKey(t.store.db, key.value, cache, start);
    assert.equal(principal?.keyId, key.id);
    assert.equal(cachedApiKey(t.store.db, key.value, cache, start + ms(700))?.keyId, key.id, 'no renewal yet');
    // The first use in the entry's last quarter starts one lookup, and is served meanwhile.
    assert.equal(cachedApiKey(t.store.db, key.value, cache, start + ms(800))?.keyId, key.id);
    // Without the renewal the entry would be stale from 1,000 ms; renewed at 800 ms, it lasts to 1,800.
    // The renewal runs in the background.
    await pollUntil('renewed', () => cachedApiKey(t.store.db, key.value, cache, start + ms(1500)) !== undefined);
    assert.equal(cachedApiKey(t.store.db, key.value, cache, start + ms(1799))?.keyId, key.id);
    assert.equal(cachedApiKey(t.store.db, key.value, cache, start + ms(1800)), undefined);
  });

  test('a renewal notices a key revoked elsewhere, and the key stops working at once', async () => {
    const key = await issueApiKey(t.store.db, operatorIn(projectId), { name: 'revoked elsewhere', restricted: false });
    const cache = new CredentialCache(1000);
    const start = Date.now() * 1000;
    await authenticateApiKey(t.store.db, key.value, cache, start);
    // Revoked in the store without this cache knowing: another instance, or the CLI.
    assert.equal(await revokeApiKey(t.store.db, key.id, start + ms(100)), true);
    assert.equal(cachedApiKey(t.store.db, key.value, cache, start + ms(800))?.keyId, key.id, 'cached until renewed');
    await pollUntil('dropped', () => cachedApiKey(t.store.db, key.value, cache, start + ms(801)) === undefined);
    assert.equal(await authenticateApiKey(t.store.db, key.value, cache, start + ms(802)), undefined);
  });
});

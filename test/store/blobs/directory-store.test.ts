import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { DirectoryBlobStore } from '../../../src/store/blobs/directory-store.js';

describe('recording blobs in a directory: what a killed upload leaves behind', () => {
  const root = mkdtempSync(join(tmpdir(), 'diga-blobs-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const blobs = new DirectoryBlobStore(root);
  const minutesAgo = (path: string, minutes: number) => {
    const at = new Date(Date.now() - minutes * 60_000);
    utimesSync(path, at, at);
  };

  test('removes unfinished puts older than the limit, keeps recent ones and every blob', async () => {
    await blobs.put('recordings/a/audio', Readable.from([Buffer.from('whole')]), 1024);
    mkdirSync(join(root, 'recordings', 'b'), { recursive: true });
    // What a SIGKILL mid-upload leaves: the temporary file put() writes before its rename.
    const killed = join(root, 'recordings', 'b', '.incoming-0f84a8d2-cb2b-44ae-afb1-cc6b5ab14666');
    const inProgress = join(root, 'recordings', 'a', '.incoming-5d7e2a8e-3a4b-4c5d-8e9f-0a1b2c3d4e5f');
    writeFileSync(killed, 'half');
    writeFileSync(inProgress, 'still arriving');
    minutesAgo(killed, 10);
    minutesAgo(join(root, 'recordings', 'a', 'audio'), 10);

    assert.equal(await blobs.removeUnfinishedPuts(120_000), 1);
    assert.equal(existsSync(killed), false, 'the killed upload is gone');
    assert.equal(existsSync(inProgress), true, 'an upload another process may still be writing stays');
    assert.equal(await blobs.stat('recordings/a/audio'), 5, 'finished blobs stay, however old');
    assert.deepEqual(readdirSync(join(root, 'recordings', 'b')), []);
    assert.equal(await blobs.removeUnfinishedPuts(120_000), 0, 'nothing left to remove');
  });

  test('a store directory that does not exist yet has nothing to remove', async () => {
    assert.equal(await new DirectoryBlobStore(join(root, 'missing')).removeUnfinishedPuts(0), 0);
  });

  test('a put that fails leaves no temporary file', async () => {
    await assert.rejects(blobs.put('recordings/c/audio', Readable.from([Buffer.alloc(2048)]), 1024));
    assert.deepEqual(
      readdirSync(join(root, 'recordings', 'c')).filter((name) => name.startsWith('.incoming-')),
      [],
    );
  });
});

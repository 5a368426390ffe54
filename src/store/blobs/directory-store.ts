import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, BlobTooLargeError, type BlobStore, type ByteRange } from './blob-store.js';

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,254}$/;
const INCOMING = '.incoming-';

/**
 * Blobs as files under one directory. A put streams into a temporary file, fsyncs it and
 * renames it into place (then fsyncs the directory), so a blob is either whole or absent,
 * even across a crash; a reader never sees a half-written file.
 */
export class DirectoryBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  async put(key: string, body: Readable, maxBytes: number): Promise<{ size: number }> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = join(dirname(path), `${INCOMING}${randomUUID()}`);
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) done(new BlobTooLargeError(maxBytes));
        else done(null, chunk);
      },
    });
    // pipeline() rejects with the failure and destroys the source with it; the destroyed source
    // then emits 'error', which must not go unheard (a request stream would crash the process).
    body.on('error', () => {});
    try {
      await pipeline(body, limit, createWriteStream(temporary, { flags: 'wx' }));
      await fsync(temporary);
      await rename(temporary, path);
      await fsync(dirname(path));
      return { size };
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async open(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    const stream = createReadStream(path, range === undefined ? {} : { start: range.start, end: range.end });
    // Surface a missing file as a rejection here, not as an error in the middle of a response.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new BlobNotFoundError(key) : error),
      );
    });
    return stream;
  }

  async stat(key: string): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(key))).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /**
   * Removes the temporary files of puts that never finished: a process killed mid-upload leaves
   * its `.incoming-…` file behind, and nothing else would ever delete it. Only files untouched
   * for `olderThanMs` go, so that another process's upload in progress over the same directory
   * (an upload stalls no longer than the server's request timeout) is left alone. Returns how
   * many were removed.
   */
  async removeUnfinishedPuts(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    const entries = await readdir(this.root, { recursive: true, withFileTypes: true }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      },
    );
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.startsWith(INCOMING)) continue;
      const path = join(entry.parentPath, entry.name);
      const modified = await stat(path).then(
        (s) => s.mtimeMs,
        () => undefined,
      );
      if (modified === undefined || now - modified < olderThanMs) continue;
      await rm(path, { force: true });
      removed++;
    }
    return removed;
  }

  private pathOf(key: string): string {
    // Keys are made by this service, but a key is never allowed to leave the root.
    if (!SAFE_KEY.test(key) || key.split('/').includes('..')) throw new Error(`unsafe blob key: ${key}`);
    return join(this.root, key);
  }
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

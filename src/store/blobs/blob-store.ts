import type { Readable } from 'node:stream';

/**
 * Where recording audio lives. The directory store is the default; an S3-compatible store
 * implements the same four operations (put = PutObject/multipart upload, open = GetObject with
 * Range, stat = HeadObject, delete = DeleteObject).
 */
export interface BlobStore {
  /** Stores `body` under `key`, durably, or throws BlobTooLargeError past `maxBytes` (nothing kept). */
  put(key: string, body: Readable, maxBytes: number): Promise<{ size: number }>;
  /** The bytes of `key`, or of its inclusive byte range; BlobNotFoundError when absent. */
  open(key: string, range?: ByteRange): Promise<Readable>;
  /** Size in bytes, or undefined when absent. */
  stat(key: string): Promise<number | undefined>;
  /** Removes `key`; a missing key is not an error. */
  delete(key: string): Promise<void>;
}

export interface ByteRange {
  start: number;
  /** Inclusive, as in HTTP's Range. */
  end: number;
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob is larger than ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no blob ${key}`);
    this.name = 'BlobNotFoundError';
  }
}

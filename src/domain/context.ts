import type { BlobStore, ByteRange } from '../store/blobs/blob-store.js';
import type { Db } from '../store/database.js';
import type { Micros } from '../kernel/time.js';

/**
 * The domain's context: what the layers above hold in order to call domain verbs. `db` is the
 * handle every verb takes first (a verb may run it inside a transaction); `blobs` is where
 * recording audio lives; `clock` is what time it is for whatever expires (API keys, dial leases),
 * injectable so that tests move time rather than wait for it. The types are the store's own, named here as the domain's context so
 * that http and app build on the domain and never name a store module.
 */
export interface DomainContext {
  db: Db;
  blobs: BlobStore;
  clock: () => Micros;
}

/** The blob store's part of the context: open() takes one inclusive byte range. */
export type { BlobStore, ByteRange };

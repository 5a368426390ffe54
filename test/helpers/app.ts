import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type AppDeps } from '../../src/app.js';
import { DirectoryBlobStore } from '../../src/store/blobs/directory-store.js';
import { issueApiKey } from '../../src/domain/api-keys/issue-api-key.js';
import { operatorIn } from '../../src/domain/api-keys/principal.js';
import { createRuntimeToken } from '../../src/domain/api-keys/credentials.js';
import type { Permission } from '../../src/contract/api-keys.js';
import { createProject } from '../../src/domain/projects/projects.js';
import { RateLimits, type RateLimitPolicies } from '../../src/domain/rate-limits/rate-limits.js';
import type { Store } from '../../src/store/database.js';
import type { BackendName } from './backends.js';
import { api, type Api } from './api.js';
import { TestClock } from './clock.js';
import { assertMatchesSeed, schemaForStatus } from './contract.js';
import { openTestStore } from './test-store.js';

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  /** Two projects, each with an unrestricted key, so isolation can be checked everywhere. */
  projectA: string;
  projectB: string;
  keyA: string;
  keyB: string;
  runtimeToken: string;
  keyFor(projectId: string, permissions: Permission[] | null, expiresAt?: number): Promise<string>;
  /** The public API as project A's key calls it (another key: `{ key }`). */
  api: Api;
  /** The app's clock: move it forward rather than sleep. */
  clock: TestClock;
  blobs: DirectoryBlobStore;
  blobDir: string;
  close(): Promise<void>;
}

/** The app over a fresh, migrated store: in-memory SQLite, or a throwaway PostgreSQL database. */
export async function buildTestApp(
  options: {
    webhooks?: AppDeps['webhooks'];
    logger?: object;
    backend?: BackendName;
    urlTtlSeconds?: number;
    recordingMaxBytes?: number;
    concurrencyIntervalMs?: number;
    /** Rate limits, kept as the server keeps them for this backend. */
    rateLimits?: RateLimitPolicies;
    /** Anything else the app takes: limits, CORS. */
    app?: Partial<AppDeps>;
    /** SQLite in a file rather than in memory, as the server runs it. */
    sqliteFile?: boolean;
  } = {},
): Promise<TestApp> {
  const testStore = await openTestStore(options.backend ?? 'sqlite', { file: options.sqliteFile });
  const { store } = testStore;
  const projectA = (await createProject(store.db, 'Project A')).id;
  const projectB = (await createProject(store.db, 'Project B')).id;
  const keyA = (await issueApiKey(store.db, operatorIn(projectA), { name: 'A', restricted: false })).value;
  const keyB = (await issueApiKey(store.db, operatorIn(projectB), { name: 'B', restricted: false })).value;
  const runtimeToken = (await createRuntimeToken(store.db, 'test runtime')).value;
  const blobDir = mkdtempSync(join(tmpdir(), 'diga-test-blobs-'));
  const blobs = new DirectoryBlobStore(blobDir);
  const clock = new TestClock();
  const app = await buildApp({
    db: store.db,
    clock: clock.now,
    logger: options.logger ?? false,
    recordings: { blobs, urlTtlSeconds: options.urlTtlSeconds, maxBytes: options.recordingMaxBytes },
    concurrencyIntervalMs: options.concurrencyIntervalMs,
    webhooks: options.webhooks,
    rateLimits: options.rateLimits && RateLimits.forStore(options.rateLimits, store),
    ...options.app,
  });
  return {
    app,
    store,
    projectA,
    projectB,
    keyA,
    keyB,
    runtimeToken,
    keyFor: async (projectId, permissions, expiresAt) =>
      (
        await issueApiKey(store.db, operatorIn(projectId), {
          name: 'test',
          restricted: permissions !== null,
          permissions,
          expiresAt: expiresAt ?? null,
        })
      ).value,
    api: api(app, keyA),
    clock,
    blobs,
    blobDir,
    close: async () => {
      await app.close();
      await testStore.close();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}

/** GET /v1/call/{id}, asserting that whatever came back is valid against the seed. */
export async function getCallAs(
  app: FastifyInstance,
  key: string | undefined,
  id: string,
): Promise<LightMyRequestResponse> {
  const response = await app.inject({
    method: 'GET',
    url: `/v1/call/${id}`,
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });
  assertMatchesSeed(schemaForStatus(response.statusCode), response.json());
  return response;
}

export async function postEvents(
  app: FastifyInstance,
  token: string,
  events: unknown[],
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/internal/v1/events',
    headers: { authorization: `Bearer ${token}` },
    payload: { events },
  });
}

/** Stores `audio` as a call's recording, as the runtime uploads it; asserts the 201. */
export async function uploadRecording(
  t: Pick<TestApp, 'app' | 'runtimeToken'>,
  callId: string,
  audio: Buffer,
): Promise<void> {
  const response = await t.app.inject({
    method: 'POST',
    url: `/internal/v1/calls/${callId}/recording`,
    headers: { authorization: `Bearer ${t.runtimeToken}`, 'content-type': 'audio/wav' },
    payload: audio,
  });
  assert.equal(response.statusCode, 201, response.body);
}

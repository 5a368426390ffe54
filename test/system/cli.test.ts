import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../../src/app.js';
import { DirectoryBlobStore } from '../../src/store/blobs/directory-store.js';
import { openStore } from '../../src/store/open-store.js';
import { migrations } from '../../src/store/migrations/index.js';
import { runCli, tempDir } from '../helpers/processes.js';

const EXPIRY_RANGE = /--expires must be from 1700-01-01T00:00:00Z to 2199-12-31T23:59:59\.999999Z/;

describe('diga-api CLI', () => {
  const dir = tempDir();
  const dbUrl = join(dir.path, 'cli.db');
  const json = async (...args: string[]) => {
    const result = await runCli([...args, '--database-url', dbUrl, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1, `exactly one line on stdout: ${result.stdout}`);
    return JSON.parse(lines[0] as string) as Record<string, unknown>;
  };
  let projectId: string;

  before(async () => {
    const migrated = await json('migrate');
    assert.deepEqual(migrated.applied, Object.keys(migrations));
    projectId = (await json('projects', 'create', 'Clínica', 'Sonrisa')).id as string;
  });
  after(() => dir.remove());

  test('migrate is idempotent', async () => {
    assert.deepEqual(await json('migrate'), { applied: [], current: Object.keys(migrations).at(-1) });
  });

  test('projects create, keys create and revoke, runtime-tokens create', async () => {
    const key = await json(
      'keys',
      'create',
      '--project',
      projectId,
      '--permissions',
      'calls.view,messages.view',
      '--expires',
      '2030-01-01T00:00:00Z',
      '--name',
      'reporting',
    );
    assert.match(key.value as string, /^sk-[0-9a-f]{64}$/);
    assert.equal(key.last_four_digits, (key.value as string).slice(-4));
    assert.deepEqual(key.permissions, ['calls.view', 'messages.view']);
    assert.equal(key.restricted, true);
    assert.equal(key.expiry_date, '2030-01-01T00:00:00Z');
    const token = await json('runtime-tokens', 'create');
    assert.match(token.value as string, /^rt-[0-9a-f]{64}$/);

    // The key works against the API until revoked, and not after.
    const store = openStore(dbUrl);
    const app = await buildApp({
      db: store.db,
      storeGeneration: store.generation,
      recordings: { blobs: new DirectoryBlobStore(join(dir.path, 'recordings')) },
    });
    try {
      const ask = () =>
        app.inject({
          url: '/v1/call/00000000-0000-0000-0000-000000000000',
          headers: { authorization: `Bearer ${String(key.value)}` },
        });
      assert.equal((await ask()).statusCode, 404);
      assert.deepEqual(await json('keys', 'revoke', key.id as string), { id: key.id, revoked: true });
      assert.equal((await ask()).statusCode, 401);
    } finally {
      await app.close();
      await store.close();
    }
    const again = await runCli(['keys', 'revoke', key.id as string, '--database-url', dbUrl]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not found or already revoked/);
  });

  test('demo fills the store through ingestion, with transcripts and WAV recordings', async () => {
    const out = await json('demo', '--calls', '40', '--project', projectId, '--seed', '7', '--recordings', '5');
    assert.equal(out.calls, 40);
    assert.equal(out.recordings, 5);
    assert.ok((out.events as number) > 40);
    const ids = out.sample_call_ids as string[];
    assert.equal(ids.length, 5);
    const store = openStore(dbUrl);
    try {
      const statuses = await store.db
        .selectFrom('calls')
        .select('status')
        .distinct()
        .where('project_id', '=', projectId)
        .execute();
      assert.ok(statuses.length >= 4, `several statuses: ${statuses.map((s) => s.status).join(', ')}`);
      const found = await store.db.selectFrom('calls').select('id').where('id', 'in', ids).execute();
      assert.equal(found.length, 5);
      const messages = await store.db
        .selectFrom('call_messages')
        .select('id')
        .where('project_id', '=', projectId)
        .execute();
      assert.ok(messages.length > 40, 'answered calls have transcripts');
      const recordings = await store.db.selectFrom('recordings').selectAll().execute();
      assert.equal(recordings.length, 5);
      const files = (readdirSync(join(dir.path, 'recordings'), { recursive: true }) as string[]).filter((f) =>
        f.endsWith('.wav'),
      );
      assert.equal(files.length, 5, 'the audio sits beside the database');
      assert.ok(recordings.every((r) => r.size > 8000));
    } finally {
      await store.close();
    }
  });

  test("projects configure sets a project's outbound plan; default reverts it", async () => {
    const set = await json(
      'projects',
      'configure',
      projectId,
      '--max-concurrent-calls',
      '25',
      '--allowed-country-codes',
      '+351,33',
    );
    assert.deepEqual(set, { id: projectId, max_concurrent_calls: 25, allowed_country_codes: ['34', '351', '33'] });
    const shown = await json('projects', 'configure', projectId);
    assert.deepEqual(shown, set, 'without options it shows the plan');
    const reverted = await json(
      'projects',
      'configure',
      projectId,
      '--max-concurrent-calls',
      'default',
      '--allowed-country-codes',
      'default',
    );
    assert.deepEqual(reverted, { id: projectId, max_concurrent_calls: 10, allowed_country_codes: ['34'] });
    const bad = await runCli([
      'projects',
      'configure',
      projectId,
      '--allowed-country-codes',
      'spain',
      '--database-url',
      dbUrl,
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /calling codes such as 351,33/);
  });

  test('simulate needs a server and a runtime token', async () => {
    const noServer = await runCli(['simulate', '--token', 'rt-x']);
    assert.equal(noServer.code, 2);
    assert.match(noServer.stderr, /simulate needs --server URL/);
    const noToken = await runCli(['simulate', '--server', 'http://127.0.0.1:9'], { DIGA_RUNTIME_TOKEN: '' });
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /needs --token/);
    const inbound = await runCli([
      'simulate',
      '--server',
      'http://127.0.0.1:9',
      '--token',
      'rt-x',
      '--inbound-per-minute',
      '5',
    ]);
    assert.equal(inbound.code, 2);
    assert.match(inbound.stderr, /--inbound-phone/);
  });

  test('bad arguments exit 2 with a clear message; --json keeps stdout one JSON object', async () => {
    const cases: [string[], RegExp][] = [
      [['keys', 'create'], /--project ID is required/],
      [['keys', 'create', '--project', 'nope'], /--project must be a UUID/],
      [['keys', 'create', '--project', projectId, '--permissions', 'calls.fly'], /unknown permission\(s\): calls.fly/],
      [['keys', 'create', '--project', projectId, '--expires', 'tomorrow'], /--expires must be an ISO 8601/],
      // Outside the instants both stores keep exactly (kernel/time.ts), as the API refuses them.
      [['keys', 'create', '--project', projectId, '--expires', '9999-12-31T23:59:59.999999Z'], EXPIRY_RANGE],
      [['keys', 'create', '--project', projectId, '--expires', '0001-01-01T00:00:00+23:59'], EXPIRY_RANGE],
      [['keys', 'create', '--project', projectId, '--expires', '2300-01-01T00:00:00.000001Z'], EXPIRY_RANGE],
      [['demo', '--calls', '0'], /--calls must be a whole number/],
      [['demo', '--calls', 'many'], /--calls must be a whole number/],
      [['frobnicate'], /unknown command/],
      [['projects', 'create', '--bogus-flag'], /Unknown option/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli([...args, '--database-url', dbUrl, '--json']);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.match(JSON.parse(result.stdout).error, message);
    }
  });

  test('--expires takes the bounds of the accepted range and keeps them exactly', async () => {
    for (const bound of ['2199-12-31T23:59:59.999999Z', '1700-01-01T00:00:00Z']) {
      const key = await json('keys', 'create', '--project', projectId, '--expires', bound);
      assert.equal(key.expiry_date, bound);
    }
  });

  test('a project that does not exist is an error, exit 1', async () => {
    const result = await runCli([
      'keys',
      'create',
      '--project',
      '00000000-0000-4000-8000-000000000000',
      '--database-url',
      dbUrl,
    ]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Project with id 00000000-0000-4000-8000-000000000000 not found/);
  });
});

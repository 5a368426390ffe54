import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { useSecretPepper } from '../../../src/domain/api-keys/secrets.js';
import { buildTestApp } from '../../helpers/app.js';
import { callEvents } from '../../helpers/events.js';
import { request, type HttpResult } from '../../helpers/http.js';
import { pollUntil } from '../../helpers/poll.js';
import { runCli, startServerProcess, tempDir, type ServerProcess } from '../../helpers/processes.js';

describe('secrets: stored as peppered digests, never logged', () => {
  const dir = tempDir();
  const databaseUrl = join(dir.path, 'diga.db');
  const pepper = randomBytes(32).toString('hex');
  const env = {
    DIGA_DATABASE_URL: databaseUrl,
    DIGA_SECRET_PEPPER: pepper,
    DIGA_BOOTSTRAP: 'false',
    DIGA_WEBHOOK_ALLOW_HTTP: 'true',
    DIGA_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    DIGA_WEBHOOK_BACKOFF_BASE_MS: '50',
    DIGA_WEBHOOK_POLL_MS: '50',
  };
  /** Every credential value and secret the session sees. */
  const secrets = new Map<string, string>([['pepper', pepper]]);
  let server: ServerProcess;
  let projectId: string;

  const cli = async (args: string[]) => {
    const result = await runCli([...args, '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as Record<string, string>;
  };

  before(async () => {
    assert.equal((await runCli(['migrate'], env)).code, 0);
    projectId = (await cli(['projects', 'create', 'Secrets']))['id'] as string;
    secrets.set('CLI key', (await cli(['keys', 'create', '--project', projectId]))['value'] as string);
    secrets.set('runtime token', (await cli(['runtime-tokens', 'create']))['value'] as string);
    server = await startServerProcess({ ...env, LOG_LEVEL: 'trace' });
  });
  after(async () => {
    await server?.stop();
    dir.remove();
  });

  const as = (credential: string, path: string, init: RequestInit = {}): Promise<HttpResult> =>
    request(`${server.base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', ...init.headers },
    });

  test('a full session leaves no key, token, secret or pepper in the logs or the store', async () => {
    const key = secrets.get('CLI key') as string;
    const token = secrets.get('runtime token') as string;
    assert.equal((await as(key, '/v1/call/')).status, 200);

    const created = await as(key, '/v1/api_key/', {
      method: 'POST',
      body: JSON.stringify({ name: 'second', restricted: false }),
    });
    assert.equal(created.status, 200, created.body);
    const second = JSON.parse(created.body) as { id: string; value: string };
    secrets.set('API-made key', second.value);
    assert.equal((await as(second.value, '/v1/call/')).status, 200);
    assert.equal((await as(key, `/v1/api_key/${second.id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await as(second.value, '/v1/call/')).status, 401, 'a revoked key');

    const hook = await as(key, '/v1/webhook/', {
      method: 'POST',
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', subscribed_events: ['status_changed'] }),
    });
    assert.equal(hook.status, 200, hook.body);
    const { id: hookId, secret } = JSON.parse(hook.body) as { id: string; secret: string };
    secrets.set('webhook secret', secret);
    const rotated = await as(key, `/v1/webhook/${hookId}/rotate`, { method: 'POST' });
    secrets.set('rotated webhook secret', (JSON.parse(rotated.body) as { secret: string }).secret);

    const e = callEvents(projectId);
    const ingest = await as(token, '/internal/v1/events', {
      method: 'POST',
      body: JSON.stringify({ events: [e.created(), e.answered(), e.ended()] }),
    });
    assert.equal(ingest.status, 200, ingest.body);
    assert.equal((await as(key, `/v1/call/${e.callId}`)).status, 200);

    // Credentials where they do not belong: each is refused, and must not be logged either.
    assert.equal((await as(token, '/v1/call/')).status, 401, 'a runtime token is not an API key');
    assert.equal((await as(key, '/internal/v1/events', { method: 'POST', body: '{}' })).status, 401);
    assert.equal((await as(`${key}x`, '/v1/call/')).status, 401);
    assert.equal((await as(key, `/v1/call/?agent_id=${token}&api_key=${key}`)).status, 422, 'a key in a URL');
    assert.equal((await as(key, `/v1/call/${key}`)).status, 422, 'a key as an id');

    // Let the delivery worker fail against the closed port a few times (its errors are logged).
    await pollUntil(
      'the webhook was tried a few times',
      async () => {
        const log = await as(key, `/v1/webhook/${hookId}/deliveries?limit=100`);
        return (JSON.parse(log.body) as { data: unknown[] }).data.length;
      },
      (attempts) => attempts >= 3,
    );
    await server.stop();
    const logs = server.output();
    const records = logs.split('\n').filter((line) => line.startsWith('{'));
    assert.ok(records.length >= 12, `the session was logged (${records.length} records)`);
    assert.ok(records.some((line) => line.includes('"url":"/v1/call/?agent_id=[redacted]')));
    for (const [name, value] of secrets) {
      assert.equal(logs.includes(value), false, `the ${name} appears in the logs`);
      assert.equal(logs.includes(value.slice(3, 40)), false, `part of the ${name} appears in the logs`);
    }

    const db = new Database(databaseUrl, { readonly: true });
    try {
      const dump = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[])
        .map((table) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all()))
        .join('\n');
      for (const name of ['CLI key', 'API-made key', 'runtime token', 'pepper']) {
        assert.equal(dump.includes(secrets.get(name) as string), false, `the ${name} is stored in the clear`);
      }
      const stored = db.prepare('SELECT key_hash FROM api_keys WHERE last_four_digits = ?').pluck().get(key.slice(-4));
      assert.equal(stored, createHmac('sha256', pepper).update(key).digest('hex'), 'HMAC-SHA256 with the pepper');
    } finally {
      db.close();
    }
  });
});

describe('turning the pepper on', () => {
  test('keys made before it keep working, and move to the peppered digest on first use', async () => {
    const t = await buildTestApp();
    const get = (key: string) => t.app.inject({ url: '/v1/call/', headers: { authorization: `Bearer ${key}` } });
    const digestOf = async () =>
      (
        await t.store.db
          .selectFrom('api_keys')
          .select('key_hash')
          .where('project_id', '=', t.projectA)
          .executeTakeFirst()
      )?.key_hash;
    try {
      assert.equal(await digestOf(), createHash('sha256').update(t.keyA).digest('hex'), 'made without a pepper');
      const pepper = 'p'.repeat(40);
      useSecretPepper(pepper);
      assert.equal((await get(t.keyA)).statusCode, 200);
      assert.equal(await digestOf(), createHmac('sha256', pepper).update(t.keyA).digest('hex'));
      const ingest = await t.app.inject({
        method: 'POST',
        url: '/internal/v1/events',
        headers: { authorization: `Bearer ${t.runtimeToken}` },
        payload: { events: [callEvents(t.projectA).created()] },
      });
      assert.equal(ingest.statusCode, 200, 'runtime tokens too');

      useSecretPepper('q'.repeat(40));
      assert.equal((await get(t.keyA)).statusCode, 401, 'under another pepper the key is unknown');
    } finally {
      useSecretPepper(undefined);
      await t.close();
    }
  });
});

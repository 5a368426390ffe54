import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { PERMISSIONS, type Permission } from '../../src/contract/api-keys.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

/** Every public endpoint, the one permission it needs, and Diga's wording of the 403. */
const ENDPOINTS: {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: object;
  needs: Permission;
  action: string;
}[] = [
  { method: 'GET', url: '/v1/call/', needs: 'calls.view', action: 'view calls' },
  { method: 'GET', url: `/v1/call/${randomUUID()}`, needs: 'calls.view', action: 'view calls' },
  { method: 'GET', url: `/v1/call/${randomUUID()}/message`, needs: 'messages.view', action: 'view calls' },
  { method: 'GET', url: '/v1/call/concurrency/stream', needs: 'calls.view', action: 'view calls' },
  {
    method: 'POST',
    url: '/v1/call/bulk-delete',
    body: { call_ids: [randomUUID()] },
    needs: 'calls.delete',
    action: 'delete calls',
  },
  { method: 'GET', url: `/v1/recording/${randomUUID()}`, needs: 'recordings.view', action: 'view recordings' },
  {
    method: 'POST',
    url: '/v1/recording/bulk',
    body: { call_ids: [randomUUID()] },
    needs: 'recordings.view',
    action: 'view recordings',
  },
  { method: 'GET', url: '/v1/api_key/', needs: 'api_keys.view', action: 'view API keys' },
  {
    method: 'POST',
    url: '/v1/api_key/',
    body: { name: 'n', restricted: true, permissions: [] },
    needs: 'api_keys.create',
    action: 'create API keys',
  },
  { method: 'GET', url: `/v1/api_key/${randomUUID()}`, needs: 'api_keys.view', action: 'view API keys' },
  {
    method: 'PATCH',
    url: `/v1/api_key/${randomUUID()}`,
    body: { name: 'n' },
    needs: 'api_keys.update',
    action: 'update API keys',
  },
  { method: 'DELETE', url: `/v1/api_key/${randomUUID()}`, needs: 'api_keys.delete', action: 'delete API keys' },
  { method: 'GET', url: '/v1/webhook/', needs: 'webhooks.view', action: 'view webhooks' },
  {
    method: 'POST',
    url: '/v1/webhook/',
    // A loopback address the service refuses: no test ever names a webhook elsewhere.
    body: { url: 'https://127.0.0.1:9/x', subscribed_events: [] },
    needs: 'webhooks.create',
    action: 'create webhooks',
  },
  { method: 'GET', url: `/v1/webhook/${randomUUID()}`, needs: 'webhooks.view', action: 'view webhooks' },
  {
    method: 'PATCH',
    url: `/v1/webhook/${randomUUID()}`,
    body: { subscribed_events: [] },
    needs: 'webhooks.update',
    action: 'update webhooks',
  },
  { method: 'DELETE', url: `/v1/webhook/${randomUUID()}`, needs: 'webhooks.delete', action: 'delete webhooks' },
  { method: 'POST', url: `/v1/webhook/${randomUUID()}/rotate`, needs: 'webhooks.update', action: 'update webhooks' },
  { method: 'GET', url: `/v1/webhook/${randomUUID()}/deliveries`, needs: 'webhooks.view', action: 'view webhooks' },
  {
    method: 'POST',
    url: `/v1/webhook/${randomUUID()}/deliveries/${randomUUID()}/redeliver`,
    needs: 'webhooks.update',
    action: 'update webhooks',
  },
  {
    method: 'POST',
    url: '/v1/call/',
    body: { from_number: '+34910000001', to_number: '+34612345678' },
    needs: 'calls.create',
    action: 'create calls',
  },
  {
    method: 'POST',
    url: '/v1/agent/',
    body: { voice_id: randomUUID(), language: 'es' },
    needs: 'agents.create',
    action: 'create agents',
  },
  { method: 'GET', url: '/v1/agent/', needs: 'agents.view', action: 'view agents' },
  { method: 'GET', url: `/v1/agent/${randomUUID()}`, needs: 'agents.view', action: 'view agents' },
  {
    method: 'PATCH',
    url: `/v1/agent/${randomUUID()}`,
    body: { prompt: 'p' },
    needs: 'agents.update',
    action: 'update agents',
  },
  { method: 'DELETE', url: `/v1/agent/${randomUUID()}`, needs: 'agents.delete', action: 'delete agents' },
  {
    method: 'POST',
    url: `/v1/agent/${randomUUID()}/version`,
    body: {},
    needs: 'agents.update',
    action: 'update agents',
  },
  { method: 'GET', url: `/v1/agent/${randomUUID()}/version`, needs: 'agents.view', action: 'view agents' },
  {
    method: 'DELETE',
    url: `/v1/agent/${randomUUID()}/version/${randomUUID()}`,
    needs: 'agents.delete',
    action: 'delete agents',
  },
  {
    method: 'PATCH',
    url: `/v1/agent/${randomUUID()}/published_version`,
    body: { version_id: null },
    needs: 'agents.update',
    action: 'update agents or phones',
  },
  {
    method: 'POST',
    url: '/v1/phone/import',
    body: { phone_number: '+34910000001' },
    needs: 'phones.import',
    action: 'import phones',
  },
  { method: 'GET', url: '/v1/phone/', needs: 'phones.view', action: 'view phones' },
  { method: 'GET', url: `/v1/phone/${randomUUID()}`, needs: 'phones.view', action: 'view phones' },
  {
    method: 'PATCH',
    url: `/v1/phone/${randomUUID()}`,
    body: { nickname: 'n' },
    needs: 'phones.update',
    action: 'update phones',
  },
  { method: 'DELETE', url: `/v1/phone/${randomUUID()}`, needs: 'phones.delete', action: 'delete phones' },
];

describe('permission matrix: every public endpoint × the permission it needs', () => {
  let t: TestApp;
  before(async () => {
    // Webhooks at a loopback address the policy allows (no DNS, no delivery worker): the matrix
    // is about permissions, and no test makes a webhook anywhere else.
    t = await buildTestApp({
      concurrencyIntervalMs: 60_000,
      webhooks: { policy: { allowHttp: false, allowedHosts: new Set(['127.0.0.1']) } },
    });
  });
  after(() => t.close());

  const ask = (endpoint: (typeof ENDPOINTS)[number], key: string | undefined) =>
    t.app.inject({
      method: endpoint.method,
      url: endpoint.url,
      headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
      ...(endpoint.body ? { payload: endpoint.body } : {}),
    });

  for (const endpoint of ENDPOINTS) {
    const name = `${endpoint.method} ${endpoint.url.replace(/[0-9a-f-]{36}/g, '{id}')}`;
    test(`${name} needs ${endpoint.needs}`, async () => {
      const none = await ask(endpoint, undefined);
      assert.equal(none.statusCode, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer');
      assert.equal((await ask(endpoint, t.runtimeToken)).statusCode, 401, 'a runtime token is not an API key');

      const allButIt = await t.keyFor(
        t.projectA,
        PERMISSIONS.filter((p) => p !== endpoint.needs),
      );
      const denied = await ask(endpoint, allButIt);
      assert.equal(denied.statusCode, 403);
      assert.deepEqual(denied.json(), {
        status: 'error',
        error_code: 'MISSING_PERMISSIONS',
        message: `Missing required permissions to ${endpoint.action}`,
      });

      for (const key of [await t.keyFor(t.projectA, [endpoint.needs]), t.keyA]) {
        const allowed = endpoint.url.endsWith('/stream')
          ? await streamStatus(key)
          : (await ask(endpoint, key)).statusCode;
        assert.ok(![401, 403].includes(allowed), `${name} with ${endpoint.needs}: ${allowed}`);
      }
    });
  }

  /** The stream never ends by itself: read its status over a socket, then hang up. */
  async function streamStatus(key: string): Promise<number> {
    if (!t.app.server.listening) await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as { port: number };
    return new Promise((resolve, reject) => {
      const request = http.get(
        { host: '127.0.0.1', port, path: '/v1/call/concurrency/stream', headers: { authorization: `Bearer ${key}` } },
        (response) => {
          resolve(response.statusCode ?? 0);
          request.destroy();
        },
      );
      request.on('error', reject);
    });
  }
});

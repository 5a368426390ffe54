import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { callEvents } from '../helpers/events.js';
import { runServerToExit, startServerProcess, tempDir, type ServerProcess } from '../helpers/processes.js';
import { toneWav } from '../../src/demo/wav.js';

/**
 * Signed recording URLs name the host they point at. Built from the Host header a client sends,
 * they point wherever that client (or whoever can set the header in front of it) likes, so
 * production requires DIGA_PUBLIC_URL and the server says so at start.
 */

/** GET over a socket with the headers given as they are, Host included (fetch cannot set it). */
function get(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode as number, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The first start's credentials, from the banner the server prints. */
function credentials(output: string) {
  const apiKey = /API key\s+(sk-[0-9a-f]{64})/.exec(output)?.[1];
  const runtimeToken = /runtime token\s+(rt-[0-9a-f]{64})/.exec(output)?.[1];
  const projectId = /project\s+([0-9a-f-]{36})/.exec(output)?.[1];
  assert.ok(apiKey && runtimeToken && projectId, `the first start prints credentials:\n${output}`);
  return { apiKey, runtimeToken, projectId };
}

const WARNING = "DIGA_PUBLIC_URL is not set: signed recording URLs are built from each request's Host header";

describe('DIGA_PUBLIC_URL and the Host header, in a real process', () => {
  test('NODE_ENV=production without DIGA_PUBLIC_URL: exit status 1, a message, no store opened', async () => {
    const dir = tempDir();
    try {
      const databaseUrl = join(dir.path, 'diga.db');
      const result = await runServerToExit({
        NODE_ENV: 'production',
        DIGA_PUBLIC_URL: '',
        DIGA_DATABASE_URL: databaseUrl,
      });
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stderr, /^diga-api: DIGA_PUBLIC_URL must be set in production \(NODE_ENV=production\)/);
      assert.match(result.stderr, /Host header/);
      assert.doesNotMatch(result.stdout, /diga-api ready/);
      assert.equal(existsSync(databaseUrl), false, 'the store was never opened');
    } finally {
      dir.remove();
    }
  });

  test('outside production it starts, and warns at start that URLs follow the Host header', async () => {
    const dir = tempDir();
    const server = await startServerProcess({
      NODE_ENV: '',
      DIGA_PUBLIC_URL: '',
      DIGA_DATABASE_URL: join(dir.path, 'diga.db'),
    });
    try {
      const warning = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .find((line) => line.msg?.startsWith(WARNING));
      assert.equal(warning?.level, 40, `a warning at start:\n${server.output()}`);
    } finally {
      await server.stop();
      dir.remove();
    }
  });

  describe('with DIGA_PUBLIC_URL in production, behind a trusted proxy', () => {
    const dir = tempDir();
    const PUBLIC = 'https://api.example.com';
    let server: ServerProcess;
    let apiKey: string;
    let callId: string;

    before(async () => {
      server = await startServerProcess({
        NODE_ENV: 'production',
        DIGA_PUBLIC_URL: PUBLIC,
        DIGA_TRUST_PROXY: 'true',
        DIGA_DATABASE_URL: join(dir.path, 'diga.db'),
      });
      const found = credentials(server.output());
      apiKey = found.apiKey;
      const call = callEvents(found.projectId);
      callId = call.callId;
      const runtime = { authorization: `Bearer ${found.runtimeToken}` };
      const ingested = await fetch(`${server.base}/internal/v1/events`, {
        method: 'POST',
        headers: { ...runtime, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [call.created(0), call.ended(20)] }),
      });
      assert.equal(ingested.status, 200, await ingested.text());
      const uploaded = await fetch(`${server.base}/internal/v1/calls/${callId}/recording`, {
        method: 'POST',
        headers: { ...runtime, 'content-type': 'audio/wav' },
        body: toneWav(0.2),
      });
      assert.equal(uploaded.status, 201, await uploaded.text());
    });
    after(async () => {
      await server?.stop();
      dir.remove();
    });

    test('no warning at start', () => {
      assert.doesNotMatch(server.output(), /DIGA_PUBLIC_URL is not set/);
    });

    test('every signed URL points at DIGA_PUBLIC_URL, whatever Host or X-Forwarded-* the client sent', async () => {
      const hosts: Record<string, string>[] = [
        {},
        { host: 'attacker.example' },
        { host: 'attacker.example:8443' },
        { host: '127.0.0.1' },
        { 'x-forwarded-host': 'attacker.example', 'x-forwarded-proto': 'http' },
      ];
      const signed = new RegExp(`^${PUBLIC}/v1/recording/${callId}/audio\\?expires=\\d+&signature=[0-9a-f]{64}$`);
      for (const sent of hosts) {
        const headers = { authorization: `Bearer ${apiKey}`, ...sent };
        // GET /v1/call/{id} twice: the route, then the fast path once the key is cached.
        for (let i = 0; i < 2; i++) {
          const one = await get(server.base, `/v1/call/${callId}`, headers);
          assert.equal(one.status, 200, one.body);
          assert.match(JSON.parse(one.body).recording_url, signed, JSON.stringify(sent));
        }
        const listing = await get(server.base, '/v1/call/', headers);
        assert.equal(listing.status, 200, listing.body);
        assert.match(JSON.parse(listing.body).data[0].recording_url, signed, JSON.stringify(sent));
        const recording = await get(server.base, `/v1/recording/${callId}`, headers);
        assert.equal(recording.status, 200, recording.body);
        assert.match(JSON.parse(recording.body).recording_url, signed, JSON.stringify(sent));
      }
    });
  });
});

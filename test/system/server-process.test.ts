import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertMatchesSeed } from '../helpers/contract.js';
import { callEvents } from '../helpers/events.js';
import { builtServer } from '../helpers/paths.js';
import { freePort, runCli, tempDir, waitForOutput } from '../helpers/processes.js';

/** The built server as a real process on a free port, over a temporary store, spoken to over HTTP. */
describe('the built server, as a process', () => {
  const dir = tempDir();
  const databaseUrl = join(dir.path, 'data', 'diga.db');
  let server: ChildProcess;
  let base: string;
  let apiKey: string;
  let runtimeToken: string;
  let projectId: string;

  const start = async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [builtServer], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DIGA_DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return child;
  };

  before(async () => {
    server = await start();
    const banner = await waitForOutput(server, /curl -H .*\n/);
    apiKey = /API key\s+(sk-[0-9a-f]{64})/.exec(banner)?.[1] ?? '';
    runtimeToken = /runtime token\s+(rt-[0-9a-f]{64})/.exec(banner)?.[1] ?? '';
    projectId = /project\s+([0-9a-f-]{36})/.exec(banner)?.[1] ?? '';
    assert.ok(apiKey && runtimeToken && projectId, `the first start prints credentials:\n${banner}`);
  });
  after(async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    dir.remove();
  });

  test('ingests over HTTP and serves the call back exactly per the seed', async () => {
    const call = callEvents(projectId);
    const ingest = await fetch(`${base}/internal/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtimeToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [call.created(), call.answered(3), call.ended(33)] }),
    });
    assert.equal(ingest.status, 200);
    assert.equal(((await ingest.json()) as { accepted: number }).accepted, 3);

    const response = await fetch(`${base}/v1/call/${call.callId}`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.ok(response.headers.get('x-request-id'));
    const body = (await response.json()) as { duration: number };
    assertMatchesSeed('CallResponse', body);
    assert.equal(body.duration, 30);

    const missing = await fetch(`${base}/v1/call/${randomUUID()}`, { headers: { authorization: `Bearer ${apiKey}` } });
    assert.equal(missing.status, 404);
    assertMatchesSeed('ErrorResponseSchema', await missing.json());
  });

  test('calls simulated by the CLI are served by the running server', async () => {
    const demo = await runCli(['demo', '--calls', '20', '--json'], { DIGA_DATABASE_URL: databaseUrl });
    assert.equal(demo.code, 0, demo.stderr);
    const { sample_call_ids: ids } = JSON.parse(demo.stdout) as { sample_call_ids: string[] };
    for (const id of ids) {
      const response = await fetch(`${base}/v1/call/${id}`, { headers: { authorization: `Bearer ${apiKey}` } });
      assert.equal(response.status, 200);
      assertMatchesSeed('CallResponse', await response.json());
    }
  });

  test('SIGTERM lets an in-flight batch finish and commit before the process exits', async () => {
    const call = callEvents(projectId);
    const events = [
      call.created(),
      ...Array.from({ length: 999 }, (_, i) => call.message(i + 1, 'user', `línea ${i}`)),
    ];
    const inFlight = fetch(`${base}/internal/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtimeToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    await new Promise((resolve) => setTimeout(resolve, 15)); // the request is on its way
    server.kill('SIGTERM');
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { accepted: number }).accepted, 1000);
    const [code] = (await once(server, 'exit')) as [number | null];
    assert.equal(code, 0);
    server = await start();
    let stored: Response | undefined;
    for (let attempt = 0; attempt < 100 && stored === undefined; attempt += 1) {
      stored = await fetch(`${base}/v1/call/${call.callId}`, { headers: { authorization: `Bearer ${apiKey}` } }).catch(
        () => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)),
      );
    }
    assert.equal(stored?.status, 200, 'the acknowledged batch is there after the restart');
  });

  test('SIGTERM shuts down cleanly, and a restart keeps every acknowledged write', async () => {
    const call = callEvents(projectId);
    const ingest = await fetch(`${base}/internal/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtimeToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: [call.created()] }),
    });
    assert.equal(ingest.status, 200);
    server.kill('SIGTERM');
    const [code] = (await once(server, 'exit')) as [number | null];
    assert.equal(code, 0);

    server = await start();
    let output = '';
    server.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    let response: Response | undefined;
    for (let attempt = 0; attempt < 100 && response === undefined; attempt += 1) {
      response = await fetch(`${base}/v1/call/${call.callId}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      }).catch(() => new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 100)));
    }
    assert.equal(response?.status, 200);
    assert.doesNotMatch(output, /API key/, 'credentials are printed only on the first start');
  });
});

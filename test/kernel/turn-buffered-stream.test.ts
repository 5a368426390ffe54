import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setImmediate as turnEnd } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { TurnBufferedStream } from '../../src/kernel/turn-buffered-stream.js';
import { projectRoot } from '../helpers/paths.js';
import { startServerProcess, tempDir } from '../helpers/processes.js';

function recordingDestination() {
  const writes: string[] = [];
  return { writes, write: (chunk: string) => writes.push(chunk), flushSync: () => undefined };
}

describe('the log stream (one write per event-loop turn)', () => {
  test("a turn's lines go out together, in order, when the turn ends", async () => {
    const destination = recordingDestination();
    const stream = new TurnBufferedStream(destination);
    stream.write('a\n');
    stream.write('b\n');
    assert.deepEqual(destination.writes, [], 'nothing is written during the turn');
    await turnEnd();
    assert.deepEqual(destination.writes, ['a\nb\n']);
    stream.write('c\n');
    await turnEnd();
    assert.deepEqual(destination.writes, ['a\nb\n', 'c\n'], 'a later turn, a later write');
    await turnEnd();
    assert.equal(destination.writes.length, 2, 'no empty writes');
  });

  test('flushSync writes what is pending at once, and only once', async () => {
    const destination = recordingDestination();
    const stream = new TurnBufferedStream(destination);
    stream.write('a\n');
    stream.flushSync();
    assert.deepEqual(destination.writes, ['a\n']);
    await turnEnd();
    assert.deepEqual(destination.writes, ['a\n']);
  });

  test('lines logged right before process.exit still reach stdout', () => {
    const module = pathToFileURL(join(projectRoot, 'dist', 'src', 'kernel', 'turn-buffered-stream.js')).href;
    const script = `import { stdoutLog } from ${JSON.stringify(module)};
      stdoutLog().write('first\\n'); stdoutLog().write('last\\n'); process.exit(0);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'first\nlast\n');
  });

  test('the server logs every request, the fast path included, and its shutdown', async () => {
    const dir = tempDir();
    const server = await startServerProcess({ DIGA_DATABASE_URL: join(dir.path, 'diga.db') });
    try {
      const apiKey = /API key\s+(sk-[0-9a-f]{64})/.exec(server.output())?.[1];
      assert.ok(apiKey);
      const callId = randomUUID();
      // The first request verifies the key through Fastify; the second, with the key cached,
      // is the fast path's.
      for (const requestId of ['through-fastify', 'through-fast-path']) {
        const response = await fetch(`${server.base}/v1/call/${callId}`, {
          headers: { authorization: `Bearer ${apiKey}`, 'x-request-id': requestId },
        });
        assert.equal(response.status, 404);
      }
      assert.equal(await server.stop(), 0);
      const lines = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const reqId of ['through-fastify', 'through-fast-path']) {
        const line = lines.find((l) => l.reqId === reqId);
        assert.ok(line, `an access-log line for ${reqId}`);
        assert.equal(line.msg, 'request');
        assert.equal(line.statusCode, 404);
        assert.equal(line.url, `/v1/call/${callId}`);
      }
      assert.equal(lines.at(-1)?.msg, 'shutting down');
    } finally {
      await server.stop('SIGKILL');
      dir.remove();
    }
  });
});
